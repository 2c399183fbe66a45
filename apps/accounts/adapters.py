from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: accounts come from invitations (tenants.invitations)."""

    def is_open_for_signup(self, request):
        return False

    def format_email_subject(self, subject):
        # Emails name the gym they come from; the tenant is the one the request or task runs in.
        name = getattr(getattr(connection, "tenant", None), "name", None)
        return f"[{name}] {subject}" if name else subject
