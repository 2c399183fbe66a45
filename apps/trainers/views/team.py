from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from apps.core.errors import ApplicationError
from apps.core.views import ScopedListView, TrainerPageView, TrainerRequiredMixin
from tenants import invitations as invitation_services

from ..forms.team import InvitationForm
from ..permissions import can_invite, can_view_team
from ..selectors import team as selectors


class DashboardView(TrainerPageView):
    template_name = "trainers/dashboard.html"


class TeamView(ScopedListView):
    """Members of the gym and the invitations the actor may manage."""

    permission = can_view_team
    selector = selectors.trainer_list
    template_name = "trainers/team.html"
    context_object_name = "trainers"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitations"] = selectors.invitation_list(actor=self.actor, organization=self.request.tenant)[:100]
        if can_invite(self.actor):
            context["form"] = kwargs.get("form") or InvitationForm(actor=self.actor)
        return context


class InvitationCreateView(TeamView):
    permission = can_invite
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        # The form posts here; a GET (reload, language switch after an error) goes back to the team page.
        return redirect("team")

    def post(self, request, *args, **kwargs):
        form = InvitationForm(request.POST, actor=self.actor)
        if form.is_valid():
            try:
                invitation = invitation_services.invitation_create(
                    actor=self.actor, organization=request.tenant, **form.cleaned_data
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("team")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InvitationActionView(TrainerRequiredMixin, View):
    permission = can_invite
    http_method_names = ["post"]
    action = None

    def post(self, request, pk):
        invitation = selectors.invitation_get(actor=self.actor, organization=request.tenant, pk=pk)
        if invitation is None:
            raise Http404
        try:
            if self.action == "resend":
                invitation_services.invitation_resend(actor=self.actor, invitation=invitation)
                messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
            else:
                invitation_services.invitation_revoke(actor=self.actor, invitation=invitation)
                messages.success(request, _("Invitation to %(email)s revoked.") % {"email": invitation.email})
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("team")
