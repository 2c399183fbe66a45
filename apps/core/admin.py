from allauth.account.models import EmailAddress
from django.contrib import admin

# The admin is served on the root host only, in the public schema, where allauth's tables do not exist.
if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)
