from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.access import can_edit_gym_settings, can_own_clients
from apps.analytics.team import team_with_figures
from apps.audit.selectors import audit_actions, audit_entry_list
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError
from apps.core.views import ScopedListView, TrainerRequiredMixin
from apps.trainers.permissions import (
    can_change_roles,
    can_deactivate,
    can_invite,
    can_link_assistants,
    can_see_revenue,
    can_transfer_clients,
    can_view_audit_log,
    can_view_team,
)
from apps.trainers.selectors import assistants as assistant_selectors
from apps.trainers.services import assistants as assistant_services
from tenants.branding import current_organization
from tenants.forms import AcceptInvitationForm
from tenants.invitations import check_usable, invitation_for_token

from . import gym_settings, selectors
from . import services as team_services
from .audit_export import audit_csv_lines
from .forms import (
    AssistantLinksForm,
    AuditFilterForm,
    GymSettingsForm,
    InvitationForm,
    RoleForm,
    TeamFilterForm,
    TransferForm,
    role_choices_described,
)


class TeamView(ScopedListView):
    """Members of the gym with their figures, and the invitations the actor may manage."""

    permission = can_view_team
    selector = team_with_figures
    template_name = "trainers/team.html"
    context_object_name = "trainers"

    def selector_kwargs(self):
        self.filters = TeamFilterForm(self.request.GET or None)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        return {"search": data.get("q", ""), "role": data.get("role", ""), "status": data.get("status", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["invitations"] = selectors.invitation_list(actor=self.actor, organization=self.request.tenant)[:100]
        context["can_change_roles"] = can_change_roles(self.actor)
        context["can_transfer"] = can_transfer_clients(self.actor)
        context["can_see_revenue"] = can_see_revenue(self.actor)
        context["role_choices"] = RoleForm.base_fields["role"].choices
        assists = assistant_selectors.assisted_names_by_assistant(actor=self.actor)
        for member in context["trainers"]:
            member.can_be_deactivated = can_deactivate(self.actor, member)
            member.can_link_assistants = can_link_assistants(self.actor, member)
            member.assists = None if can_own_clients(member) else assists.get(member.pk, [])
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
                invitation = team_services.invitation_create(
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
                team_services.invitation_resend(actor=self.actor, invitation=invitation)
                messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
            else:
                team_services.invitation_revoke(actor=self.actor, invitation=invitation)
                messages.success(request, _("Invitation to %(email)s revoked.") % {"email": invitation.email})
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("team")


class TeamMemberActionView(TrainerRequiredMixin, View):
    """Actions on one member: change role, deactivate, reactivate.

    Changing a role and deactivating are never one click: their GET is a confirmation page (opened in the team
    page's dialog when JavaScript runs, as a page otherwise) that says what will happen; only its form's POST acts.
    Reactivating undoes a deactivation, so it posts straight from the team page.
    """

    permission = can_view_team
    http_method_names = ["get", "post"]
    action = None
    templates = {"role": "trainers/member_role.html", "deactivate": "trainers/member_deactivate.html"}

    def get_member(self, pk):
        member = selectors.team_member_get(actor=self.actor, pk=pk)
        # An action the actor may never take on this member is a page they may not use: 404, like the others.
        # Refusals that depend on the moment (the last owner, a full gym) come from the service as a message.
        allowed = (
            can_change_roles(self.actor) if self.action == "role" else member and can_deactivate(self.actor, member)
        )
        if member is None or not allowed:
            raise Http404
        return member

    def render_confirmation(self, member, form=None, status=200):
        context = {"member": member}
        if self.action == "role":
            context["form"] = form or RoleForm(initial={"role": member.role})
            context["role_choices"] = role_choices_described()
        else:
            context["active_clients"] = selectors.clients_of(actor=self.actor, trainer=member).active().count()
        return render(self.request, self.templates[self.action], context, status=status)

    def get(self, request, pk):
        if self.action not in self.templates:
            raise Http404
        return self.render_confirmation(self.get_member(pk))

    def post(self, request, pk):
        member = self.get_member(pk)
        try:
            if self.action == "role":
                form = RoleForm(request.POST)
                if not form.is_valid():
                    return self.render_confirmation(member, form, status=400)
                member = team_services.trainer_change_role(
                    actor=self.actor, trainer=member, role=form.cleaned_data["role"]
                )
                done = _("%(name)s is now %(role)s.") % {"name": member.display_name, "role": member.get_role_display()}
            elif self.action == "deactivate":
                member = team_services.trainer_deactivate(actor=self.actor, trainer=member)
                done = _(
                    "%(name)s was deactivated. Nothing of theirs was deleted; “Reactivate” on their row undoes it."
                ) % {"name": member.display_name}
            else:
                member = team_services.trainer_reactivate(actor=self.actor, trainer=member)
                done = _("%(name)s was reactivated.") % {"name": member.display_name}
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/team/") else "team")


class TransferView(TrainerRequiredMixin, View):
    """Move one, some or all clients of a trainer to another active trainer."""

    permission = can_transfer_clients
    template_name = "trainers/transfer.html"

    def setup_member(self, pk):
        self.member = selectors.team_member_get(actor=self.actor, pk=pk)
        if self.member is None:
            raise Http404
        self.clients = selectors.clients_of(actor=self.actor, trainer=self.member)
        self.targets = selectors.transfer_targets(actor=self.actor, exclude=self.member)

    def render_page(self, form, status=200):
        context = {"member": self.member, "form": form, "client_count": len(form.fields["clients"].choices)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        self.setup_member(pk)
        return self.render_page(TransferForm(targets=self.targets, clients=self.clients))

    def post(self, request, pk):
        self.setup_member(pk)
        form = TransferForm(request.POST, targets=self.targets, clients=self.clients)
        if form.is_valid():
            try:
                moved = team_services.clients_transfer(
                    actor=self.actor, clients=form.cleaned_data["clients"], to_trainer=form.cleaned_data["to_trainer"]
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(
                    request,
                    _("%(count)d client(s) transferred to %(name)s.")
                    % {"count": moved, "name": form.cleaned_data["to_trainer"].display_name},
                )
                return redirect("team")
        return self.render_page(form, status=400)


class AssistantLinksView(TrainerRequiredMixin, View):
    """Choose the trainers an assistant works for (owner or senior)."""

    permission = can_view_team
    template_name = "trainers/assistant_links.html"

    def setup_member(self, pk):
        self.member = selectors.team_member_get(actor=self.actor, pk=pk)
        if self.member is None or not can_link_assistants(self.actor, self.member):
            raise Http404

    def render_page(self, form, status=200):
        return render(self.request, self.template_name, {"member": self.member, "form": form}, status=status)

    def get(self, request, pk):
        self.setup_member(pk)
        current = list(assistant_selectors.assisted_trainers(assistant=self.member).values_list("pk", flat=True))
        form = AssistantLinksForm(trainers=assistant_selectors.assistable_trainers(), initial={"trainers": current})
        return self.render_page(form)

    def post(self, request, pk):
        self.setup_member(pk)
        form = AssistantLinksForm(request.POST, trainers=assistant_selectors.assistable_trainers())
        if form.is_valid():
            try:
                assistant_services.assistant_set_trainers(
                    actor=self.actor, assistant=self.member, trainers=form.cleaned_data["trainers"]
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Saved whom %(name)s assists.") % {"name": self.member.display_name})
                return redirect("team")
        return self.render_page(form, status=400)


class AuditFilterMixin:
    """The audit log's filters (who, action, days), read from the query string by the page and its CSV alike."""

    def selector_kwargs(self):
        trainers = selectors.team_members(actor=self.actor)
        actions = audit_actions(actor=self.actor)
        self.filters = AuditFilterForm(self.request.GET or None, trainers=trainers, actions=actions)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        return {
            "actor_id": data.get("trainer"),
            "action": data.get("action"),
            "since": data.get("since"),
            "until": data.get("until"),
        }


class AuditLogView(AuditFilterMixin, ScopedListView):
    permission = can_view_audit_log
    selector = audit_entry_list
    template_name = "trainers/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["is_filtered"] = any(value for key, value in self.request.GET.items() if key != "page")
        return context


class AuditLogExportView(AuditFilterMixin, TrainerRequiredMixin, View):
    """The audit log with the page's filters as CSV: the same sentences as the page, in the reader's language; times
    in ISO 8601 in the gym's timezone. Built before the response leaves (the gym's schema and the reader's language
    are the request's), rows read in chunks."""

    permission = can_view_audit_log

    def get(self, request):
        entries = audit_entry_list(actor=self.actor, **self.selector_kwargs())
        response = HttpResponse("".join(audit_csv_lines(entries)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{gym_today():%Y%m%d}.csv"'
        return response


class GymSettingsView(TrainerRequiredMixin, View):
    """The owner edits the gym's name, timezone, late-cancellation window, money defaults, packages' expiry policy and
    branding (404 for everyone else)."""

    permission = can_edit_gym_settings
    template_name = "team/gym_settings.html"

    def render_page(self, organization, form, status=200):
        return render(self.request, self.template_name, {"gym": organization, "form": form}, status=status)

    def get(self, request):
        organization = current_organization()  # the row itself: the host cache of another process may lag
        return self.render_page(organization, GymSettingsForm(organization=organization))

    def post(self, request):
        organization = current_organization()
        form = GymSettingsForm(request.POST, request.FILES, organization=organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                gym_settings.gym_settings_update(
                    actor=self.actor,
                    name=data["name"],
                    timezone_name=data["timezone"],
                    late_cancellation_hours=data["late_cancellation_hours"],
                    accent_colour=data["accent_colour"],
                    paper_size=data["paper_size"],
                    currency=data["currency"],
                    default_vat_rate=data["default_vat_percent"],
                    default_pricing_mode=data["default_pricing_mode"],
                    default_card_fee_rate=data["default_card_fee_percent"],
                    reminder_hours=data.get("reminder_hours"),
                    package_expiry_policy=data["package_expiry_policy"],
                    package_extension_days=data.get("package_extension_days"),
                    logo=data.get("logo"),
                    remove_logo=data.get("remove_logo", False),
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Gym settings saved."))
                return redirect("gym_settings")
        return self.render_page(organization, form, status=400)


class SetupChecklistDismissView(TrainerRequiredMixin, View):
    """The owner puts away the dashboard's set-up checklist (POST only), then back to the dashboard."""

    permission = can_edit_gym_settings
    http_method_names = ["post"]

    def post(self, request):
        gym_settings.setup_checklist_dismiss(actor=self.actor)
        messages.success(request, _("The set-up checklist is put away."))
        return redirect("dashboard")


class AcceptInvitationView(View):
    """GET shows the form and consumes nothing (mail scanners follow links); POST accepts."""

    template_name = "tenants/accept_invitation.html"

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "tenant", None) is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _invitation_or_error_page(self, request, token):
        invitation = invitation_for_token(organization=request.tenant, token=token)
        try:
            check_usable(invitation)
        except ApplicationError as error:
            status = 404 if invitation is None else 410
            return None, render(request, "tenants/invitation_unusable.html", {"reason": error.message}, status=status)
        return invitation, None

    def get(self, request, token):
        invitation, error_page = self._invitation_or_error_page(request, token)
        if error_page:
            return error_page
        form = AcceptInvitationForm(email=invitation.email)
        return render(request, self.template_name, {"invitation": invitation, "form": form})

    def post(self, request, token):
        invitation, error_page = self._invitation_or_error_page(request, token)
        if error_page:
            return error_page
        form = AcceptInvitationForm(request.POST, email=invitation.email)
        if form.is_valid():
            try:
                trainer = team_services.invitation_accept(
                    organization=request.tenant,
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                login(request, trainer.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to %(gym)s!") % {"gym": request.tenant.name})
                return redirect("dashboard")
        return render(request, self.template_name, {"invitation": invitation, "form": form}, status=400)
