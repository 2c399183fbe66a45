"""The platform staff's console on the root host: provision, suspend and reactivate gyms."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import ApplicationError

from . import services
from .forms import OrganizationChangeForm, OrganizationProvisionForm
from .models import Domain, Invitation, Organization, PooledSchema


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    readonly_fields = ["domain", "is_primary"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationChangeForm
    list_display = ["name", "slug", "status", "owner_email", "seat_limit", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "owner_email"]
    # The gym's own settings are its owner's (the settings page, which checks and audits them): staff see them and
    # keep the plan's limits.
    readonly_fields = [
        "slug", "schema_name", "status", "created_at", "suspended_at", "owner_email", "timezone", "currency",
        "default_vat_rate", "default_pricing_mode", "default_card_fee_rate", "late_cancellation_hours",
        "package_expiry_policy", "package_extension_days",
    ]  # fmt: skip
    fields = [
        "name", "slug", "schema_name", "status", "owner_email", "timezone", "currency", "default_vat_rate",
        "default_pricing_mode", "default_card_fee_rate", "late_cancellation_hours",
        "package_expiry_policy", "package_extension_days",
        "seat_limit", "invitation_expiry_days", "pending_invitation_limit", "daily_invitation_limit",
        "created_at", "suspended_at",
    ]  # fmt: skip
    inlines = [DomainInline]
    actions = ["suspend", "reactivate"]

    def has_delete_permission(self, request, obj=None):
        # Purging a gym is an explicit platform command after an export, never a click.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        form = OrganizationProvisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                organization, _token = services.organization_provision(
                    name=data["name"],
                    slug=data["slug"],
                    owner_email=data["owner_email"],
                    timezone_name=data["timezone"],
                    currency=data["currency"],
                    default_vat_rate=data["default_vat_rate"],
                    seat_limit=data["seat_limit"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                self.message_user(
                    request,
                    _("%(name)s is ready at %(url)s; the owner's invitation is on its way to %(email)s.")
                    % {
                        "name": organization.name,
                        "url": organization.absolute_url(),
                        "email": organization.owner_email,
                    },
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:tenants_organization_change", args=[organization.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Provision an organization"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/organization/provision.html", context)

    @admin.action(description=gettext_lazy("Suspend selected organizations"))
    def suspend(self, request, queryset):
        self._apply(request, queryset, services.organization_suspend, _("%(name)s suspended."))

    @admin.action(description=gettext_lazy("Reactivate selected organizations"))
    def reactivate(self, request, queryset):
        self._apply(request, queryset, services.organization_reactivate, _("%(name)s reactivated."))

    def _apply(self, request, queryset, service, success):
        for organization in queryset:
            try:
                service(organization=organization)
            except ApplicationError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                self.message_user(request, success % {"name": organization.name}, messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organization"]
    search_fields = ["email", "organization__name"]
    readonly_fields = [field.name for field in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PooledSchema)
class PooledSchemaAdmin(admin.ModelAdmin):
    list_display = ["schema_name", "fingerprint", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
