"""Packages, calendar, sessions and payments pages. Thin: a form, one service or selector, a template.

Assistants never see packages, prices or payments: those pages answer them 404, like a missing page.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from apps.access import is_assistant
from apps.core.dates import gym_timezone, gym_today
from apps.core.errors import ApplicationError
from apps.core.money import current_currency
from apps.core.navigation import back_url, is_htmx
from apps.core.views import ScopedListView, ScopedObjectMixin, TrainerPageView, TrainerRequiredMixin

from . import selectors
from .forms import CalendarFilterForm, PackageFilterForm, PackageSellForm, PaymentForm, SessionScheduleForm
from .models import PackageStatus, PaymentMethod, PricingMode, Session
from .permissions import (
    can_choose_session_trainer,
    can_manage_package,
    can_manage_session,
    can_see_all_trainers,
    can_use_calendar,
    can_use_packages,
    can_view_calendar,
)
from .services import common as common_services
from .services import packages as package_services
from .services import payments as payment_services
from .services import sessions as session_services


class PackageListView(ScopedListView):
    permission = can_use_packages
    selector = selectors.package_list
    template_name = "training/package_list.html"
    context_object_name = "packages"

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = PackageFilterForm(
                self.request.GET, trainers=self.filter_trainers(), status_choices=PackageStatus.choices
            )
        return self._filter_form

    def filter_trainers(self):
        if self.view_as is not None or not can_see_all_trainers(self.actor):
            return None
        return selectors.package_filter_trainers(actor=self.actor)

    def selector_kwargs(self):
        return self.trainer_filter_kwargs(self.get_filter_form().selector_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["show_trainer"] = can_see_all_trainers(self.actor) and self.view_as is None
        context["today"] = gym_today()
        # An empty page: none at all (say how to sell one) or none matching the filters (one query, only then).
        paginator = context.get("paginator")
        context["has_any"] = bool(paginator and paginator.count) or (
            type(self).selector(actor=self.actor, **self.trainer_filter_kwargs({})).exists()
        )
        return context


class PackageSellView(TrainerPageView):
    """GET the form; POST with ``preview`` shows the breakdown without selling; POST sells.

    ``?client=`` preselects the client and ``?next=`` is where a sale returns (the client's page). Choosing a pricing
    template fills in its name, sessions, price and expiry: the select's HTMX GET (with ``pricing_template``) gets
    the form's fields back filled in; without JavaScript, the "Fill in from the template" button POSTs ``fill``
    and gets the whole page (nothing is sold).
    """

    permission = can_use_packages
    template_name = "training/package_sell.html"
    fields_template = "training/_package_sell_fields.html"
    http_method_names = ["get", "post"]

    @cached_property
    def organization(self):
        """The gym's row as the sale will read it (the request's copy may lag behind the owner's last change)."""
        return common_services.gym()

    def get_form(self, data=None, initial=None):
        organization = self.organization
        form = PackageSellForm(
            data,
            clients=selectors.sellable_clients(actor=self.actor),
            templates=selectors.sellable_templates(actor=self.actor),
            currency=common_services.gym_currency(organization),
            initial=initial or self.initial(),
        )
        # Say what an empty rate means, in numbers.
        for field, rate in (("vat_percent", "default_vat_rate"), ("card_fee_percent", "default_card_fee_rate")):
            percent = f"{(getattr(organization, rate, 0) * 100).normalize():f}"
            form.fields[field].help_text = _("Empty: the gym's rate, %(percent)s%%.") % {"percent": percent}
        form.fields["pricing_template"].widget.attrs.update(
            {
                "hx-get": reverse("package_sell"),
                "hx-trigger": "change",
                # The fields only: the CSRF token stays out of the URL.
                "hx-include": "#sell-fields",
                "hx-target": "#sell-fields",
                "hx-swap": "outerHTML",
            }
        )
        return form

    def initial(self):
        initial = {"pricing_mode": getattr(self.organization, "default_pricing_mode", PricingMode.INCLUSIVE)}
        if self.request.GET.get("client"):
            initial["client"] = self.request.GET["client"]
        return initial

    def filled_initial(self, typed):
        """What the seller typed (``typed``: the query or the post), with the chosen template's terms over name,
        sessions, price and expiry. A template the actor may not sell is ignored."""
        initial = self.initial()
        initial.update({name: typed[name] for name in PackageSellForm.base_fields if typed.get(name)})
        template = selectors.sellable_template(actor=self.actor, pk=typed.get("pricing_template"))
        if template is None:
            initial.pop("pricing_template", None)
        else:
            initial.update(
                name=template.name,
                total_sessions=template.sessions,
                price=f"{template.price.normalize():f}",  # 500000, not 500000.00 (a KRW price field takes no cents)
                expires_on=gym_today() + timedelta(days=template.validity_days),
            )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next_url"] = back_url(self.request)
        return context

    def get(self, request, *args, **kwargs):
        if "pricing_template" not in request.GET:
            return self.render_to_response(self.get_context_data(form=self.get_form()))
        form = self.get_form(initial=self.filled_initial(request.GET))
        if is_htmx(request):
            response = render(request, self.fields_template, self.get_context_data(form=form))
        else:
            response = self.render_to_response(self.get_context_data(form=form))
        patch_vary_headers(response, ["HX-Request"])
        return response

    def post(self, request, *args, **kwargs):
        if "fill" in request.POST:
            return self.render_to_response(
                self.get_context_data(form=self.get_form(initial=self.filled_initial(request.POST)))
            )
        form = self.get_form(request.POST)
        preview = None
        if form.is_valid():
            try:
                if "preview" in request.POST:
                    with transaction.atomic():
                        preview = package_services.package_sell(actor=self.actor, **form.service_kwargs())
                        transaction.set_rollback(True)  # a preview sells nothing and audits nothing
                else:
                    package = package_services.package_sell(actor=self.actor, **form.service_kwargs())
                    messages.success(request, _("Package “%(name)s” sold.") % {"name": package.name})
                    return redirect(back_url(request) or reverse("package_detail", kwargs={"pk": package.pk}))
            except ApplicationError as error:
                form.add_application_error(error)
        status = 200 if preview is not None else 400
        return self.render_to_response(self.get_context_data(form=form, preview=preview), status=status)


class PackageMixin(ScopedObjectMixin):
    def get_object_source(self):
        return selectors.package_detail_source()

    def get_package(self, permission=None):
        return self.get_scoped_object(permission)


class PackageDetailView(PackageMixin, TrainerPageView):
    permission = can_use_packages
    template_name = "training/package_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        package = kwargs.get("package") or self.get_package()
        currency = package.currency or current_currency()
        context.update(
            package=package,
            can_manage=can_manage_package(self.actor, package),
            payments=selectors.package_payments(actor=self.actor, package=package),
            sessions=selectors.package_sessions(actor=self.actor, package=package),
            payment_form=kwargs.get("payment_form") or PaymentForm(currency=currency, prefix="pay"),
            refund_form=kwargs.get("refund_form")
            or PaymentForm(currency=currency, prefix="refund", initial={"method": PaymentMethod.CARD}),
        )
        return context


class PaymentCreateView(PackageDetailView):
    """POST a payment (``kind="payment"``) or a refund (``kind="refund"``) against the package in the URL."""

    http_method_names = ["post"]
    kind = "payment"

    def post(self, request, *args, **kwargs):
        package = self.get_package(can_manage_package)
        prefix = "pay" if self.kind == "payment" else "refund"
        form = PaymentForm(request.POST, currency=package.currency, prefix=prefix)
        if form.is_valid():
            service = payment_services.payment_record if self.kind == "payment" else payment_services.payment_refund
            try:
                service(actor=self.actor, package=package, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Payment recorded.") if self.kind == "payment" else _("Refund recorded."))
                return redirect("package_detail", pk=package.pk)
        context = self.get_context_data(
            package=package, **{f"{prefix if prefix == 'refund' else 'payment'}_form": form}
        )
        return self.render_to_response(context, status=400)


class PackageCancelView(PackageMixin, TrainerRequiredMixin, View):
    permission = can_use_packages
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        package = self.get_package(can_manage_package)
        try:
            package_services.package_cancel(actor=self.actor, package=package)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Package cancelled."))
        return redirect("package_detail", pk=package.pk)


class PaymentListView(PackageListView):
    """Payments and refunds, and revenue per trainer and month (the gym's calendar) over the last year."""

    selector = selectors.payment_list
    template_name = "training/payment_list.html"
    context_object_name = "payments"

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = PackageFilterForm(self.request.GET, trainers=self.filter_trainers())
            del self._filter_form.fields["status"]
        return self._filter_form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["revenue"] = selectors.revenue_table(actor=self.actor, trainer_id=getattr(self.view_as, "pk", None))
        return context


class PaymentReceiptView(TrainerPageView):
    """A payment's printable receipt. A payment the actor may not see answers 404, like a missing one."""

    permission = can_use_packages
    template_name = "training/payment_receipt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt = selectors.payment_receipt(actor=self.actor, pk=self.kwargs["pk"])
        if receipt is None:
            raise Http404
        context.update(receipt=receipt, payment=receipt.payment, gym=self.request.tenant)
        return context


# --- calendar and sessions ------------------------------------------------------------------------


class CalendarView(TrainerPageView):
    """Week (default) or month of sessions; the owner filters by trainer, others see their own."""

    permission = can_view_calendar
    template_name = "training/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        several = can_choose_session_trainer(self.actor) and self.view_as is None
        trainers = selectors.calendar_trainers(actor=self.actor) if several else None
        # An assistant's "all" is the trainers they assist.
        all_label = _("All my trainers") if is_assistant(self.actor) else None
        form = CalendarFilterForm(self.request.GET, trainers=trainers, all_label=all_label)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        trainer = self.view_as or data.get("trainer")
        grid = selectors.calendar_grid(
            actor=self.actor,
            view=data.get("view") or "week",
            day=data.get("day") or gym_today(),
            trainer=trainer,
            trainers=trainers,
        )
        query = self.request.GET.copy()
        query.pop("day", None)
        context.update(
            filter_form=form,
            view=grid.view,
            weeks=grid.weeks,
            first=grid.first,
            last=grid.last,
            previous_day=grid.previous_day,
            next_day=grid.next_day,
            querystring=query.urlencode(),
            show_trainer=several,
            summary=grid.summary,
            can_schedule=can_use_calendar(self.actor),
            today=gym_today(),
            now=datetime.now(gym_timezone()),
        )
        return context


class SessionScheduleView(TrainerPageView):
    permission = can_use_calendar
    template_name = "training/session_form.html"
    http_method_names = ["get", "post"]

    def get_form(self, data=None):
        initial = {"day": self.request.GET.get("day") or gym_today(), "duration_minutes": 60}
        if self.request.GET.get("client"):
            initial["client"] = self.request.GET["client"]
        trainers = selectors.calendar_trainers(actor=self.actor) if can_choose_session_trainer(self.actor) else None
        if self.view_as is not None and trainers is not None:
            initial["trainer"] = self.view_as.pk
        packages = selectors.schedulable_packages(actor=self.actor)
        return SessionScheduleForm(
            data,
            clients=selectors.sellable_clients(actor=self.actor),
            trainers=trainers,
            packages=packages,
            initial=initial,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        ask_confirmation = False
        if form.is_valid():
            data = form.cleaned_data
            starts_at = datetime.combine(data["day"], data["start"], tzinfo=gym_timezone())
            try:
                session = session_services.session_schedule(
                    actor=self.actor,
                    client=data["client"],
                    trainer=data.get("trainer"),
                    package=data.get("package"),
                    starts_at=starts_at,
                    duration_minutes=data["duration_minutes"],
                    confirm_unavailable=data.get("confirm_unavailable", False),
                )
            except ApplicationError as error:
                ask_confirmation = error.extra.get("code") == "unavailable"
                form.add_application_error(error)
            else:
                messages.success(request, _("Session scheduled."))
                day = session.starts_at.astimezone(gym_timezone()).date()
                # Opened from a client's page (``?next=``, kept by the form's action): back there.
                return redirect(back_url(request) or f"{reverse('calendar')}?day={day.isoformat()}")
        context = self.get_context_data(form=form, ask_confirmation=ask_confirmation)
        return self.render_to_response(context, status=400)


class SessionActionView(ScopedObjectMixin, TrainerRequiredMixin, View):
    """POST complete, cancel or no-show on one session; back to the calendar day of the session."""

    permission = can_use_calendar
    object_source = Session.objects.select_related("client", "trainer__user", "package")
    object_permission = can_manage_session
    http_method_names = ["post"]
    action = "complete"

    def post(self, request, *args, **kwargs):
        session = self.get_scoped_object(can_manage_session)
        service, done = {
            "complete": (session_services.session_complete, _("Session completed.")),
            "cancel": (session_services.session_cancel, _("Session cancelled.")),
            "no_show": (session_services.session_no_show, _("Marked as no-show.")),
        }[self.action]
        extra = {"by_trainer": request.POST.get("by") == "trainer"} if self.action == "cancel" else {}
        try:
            service(actor=self.actor, session=session, **extra)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        day = session.starts_at.astimezone(gym_timezone()).date()
        return redirect(f"{reverse('calendar')}?day={day.isoformat()}")
