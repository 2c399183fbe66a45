"""The sign-in adapter of gym hosts: invitation-only sign-up (``apps.accounts``), and a deactivated member told so,
with the owners to contact. It lives here because naming the owners reads the team."""

from django.shortcuts import render

from apps.accounts.adapters import InvitationOnlyAccountAdapter

from . import selectors


class GymAccountAdapter(InvitationOnlyAccountAdapter):
    def respond_user_inactive(self, request, user):
        # Reached only after the right password: the page names the owners, whom a stranger is not told.
        context = {"owners": selectors.owners_to_contact()}
        return render(request, "account/account_inactive.html", context)
