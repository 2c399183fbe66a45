"""Pricing templates: list (the owner filters by trainer), create, edit, take off sale and back.

Assistants never see prices: every page answers them 404. A template the actor may not see or change answers 404
too, like one that does not exist.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from apps.core.errors import ApplicationError
from apps.core.money import current_currency, quantize_money
from apps.core.scoping import get_object_or_404
from apps.core.views import ScopedListView, TrainerPageView, TrainerRequiredMixin

from ..forms.pricing import PricingFilterForm, PricingTemplateForm
from ..permissions import can_manage_pricing, can_use_pricing, is_owner
from ..selectors import pricing as selectors
from ..services import pricing as services


class PricingListView(ScopedListView):
    permission = can_use_pricing
    selector = selectors.pricing_template_list
    template_name = "trainers/pricing/list.html"
    context_object_name = "pricing_templates"

    def dispatch(self, request, *args, **kwargs):
        self.filter_form = None
        return super().dispatch(request, *args, **kwargs)

    def get_filter_form(self):
        if self.filter_form is None:
            trainers = selectors.pricing_filter_trainers(actor=self.actor) if is_owner(self.actor) else None
            self.filter_form = PricingFilterForm(self.request.GET, trainers=trainers)
        return self.filter_form

    def selector_kwargs(self):
        return self.get_filter_form().selector_kwargs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for template in context["object_list"]:  # the page's rows, the same instances the template shows
            template.can_manage = can_manage_pricing(self.actor, template.trainer)
        context["filter_form"] = self.get_filter_form()
        context["show_trainer"] = is_owner(self.actor)
        context["is_filtered"] = bool(self.selector_kwargs())
        return context


class PricingFormView(TrainerPageView):
    permission = can_use_pricing
    template_name = "trainers/pricing/form.html"
    http_method_names = ["get", "post"]

    def render_form(self, form, status=200):
        return self.render_to_response(self.get_context_data(form=form, **self.extra_context_data()), status=status)

    def extra_context_data(self):
        return {}


class PricingCreateView(PricingFormView):
    def get_form(self, data=None):
        trainers = selectors.pricing_trainer_options(actor=self.actor) if is_owner(self.actor) else None
        initial = {"trainer": self.request.GET.get("trainer") or self.actor.pk}
        return PricingTemplateForm(data, currency=current_currency(), trainers=trainers, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            trainer = data.pop("trainer", None) or self.actor
            try:
                template = services.pricing_template_create(actor=self.actor, trainer=trainer, **data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Pricing template “%(name)s” created.") % {"name": template.name})
                return redirect("pricing_list")
        return self.render_form(form, status=400)


class PricingTemplateMixin:
    """The template named in the URL, if the actor may see and change it; otherwise 404."""

    def get_template_object(self):
        return get_object_or_404(
            self.actor,
            selectors.pricing_template_source(),
            self.kwargs["pk"],
            permission=lambda actor, template: can_manage_pricing(actor, template.trainer),
        )


class PricingUpdateView(PricingTemplateMixin, PricingFormView):
    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def extra_context_data(self):
        return {"object": self.object}

    def get_form(self, data=None):
        template = self.object
        initial = {
            "name": template.name,
            "sessions": template.sessions,
            "price": quantize_money(template.price, current_currency()),
            "validity_days": template.validity_days,
        }
        return PricingTemplateForm(data, currency=current_currency(), creating=False, initial=initial)

    def get(self, request, *args, **kwargs):
        self.object = self.get_template_object()
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        self.object = self.get_template_object()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                template = services.pricing_template_update(actor=self.actor, template=self.object, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Pricing template “%(name)s” saved.") % {"name": template.name})
                return redirect("pricing_list")
        return self.render_form(form, status=400)


class PricingToggleView(PricingTemplateMixin, TrainerRequiredMixin, View):
    """POST ``is_active=1`` puts the template on sale, ``is_active=0`` takes it off; ``next`` is where to go back."""

    permission = can_use_pricing
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        template = self.get_template_object()
        wanted = request.POST.get("is_active")
        is_active = (wanted == "1") if wanted in {"0", "1"} else not template.is_active
        try:
            template = services.pricing_template_set_active(actor=self.actor, template=template, is_active=is_active)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if template.is_active:
                messages.success(request, _("“%(name)s” is on sale again.") % {"name": template.name})
            else:
                messages.success(
                    request,
                    _("“%(name)s” is off sale. Packages already sold from it are not affected.")
                    % {"name": template.name},
                )
        return redirect(self.next_url())

    def next_url(self):
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("pricing_list")
