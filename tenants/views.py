from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.errors import ApplicationError

from .forms import AcceptInvitationForm
from .invitations import check_usable, invitation_accept, invitation_for_token
from .selectors import organization_by_slug


class LandingView(TemplateView):
    """The platform's public page on the root host; ``?slug=`` sends a visitor to their gym."""

    template_name = "tenants/landing.html"

    def get(self, request, *args, **kwargs):
        slug = request.GET.get("slug", "").strip().lower()
        if slug:
            organization = organization_by_slug(slug)
            if organization is not None:
                return redirect(organization.absolute_url("/accounts/login/"))
            return self.render_to_response(self.get_context_data(slug=slug, not_found=True), status=404)
        return super().get(request, *args, **kwargs)


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
                trainer = invitation_accept(
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
