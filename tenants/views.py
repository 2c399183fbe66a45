from django.conf import settings
from django.shortcuts import redirect
from django.views.generic import TemplateView

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

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.CONTACT_EMAIL, **kwargs)
