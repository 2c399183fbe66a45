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
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.access import can_read_audit_log, is_assistant
from apps.core.dates import gym_timezone, gym_today
from apps.core.errors import ApplicationError
from apps.core.money import current_currency
from apps.core.navigation import back_url, is_htmx
from apps.core.views import ScopedListView, ScopedObjectMixin, TrainerPageView, TrainerRequiredMixin
from tenants.models import PackageExpiryPolicy

from . import selectors
from .forms import (
    CalendarFilterForm,
    PackageExpiringFilterForm,
    PackageFilterForm,
    PackageSellForm,
    PaymentForm,
    SessionCancelForm,
    SessionCompleteForm,
    SessionEditForm,
    SessionNoShowForm,
    SessionScheduleForm,
)
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


class PackageExpiringView(ScopedListView):
    """Active packages ending within 7, 14 or 30 days (the gym's days), soonest first: whom to talk to before credits
    run out. Assistants: 403, like every package page."""

    permission = can_use_packages
    selector = selectors.packages_expiring
    template_name = "training/package_expiring.html"
    context_object_name = "packages"
    paginate_by = 50

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            trainers = None
            if self.view_as is None and can_see_all_trainers(self.actor):
                trainers = selectors.package_filter_trainers(actor=self.actor)
            self._filter_form = PackageExpiringFilterForm(self.request.GET, trainers=trainers)
        return self._filter_form

    def selector_kwargs(self):
        return self.trainer_filter_kwargs(self.get_filter_form().selector_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = common_services.gym()
        context.update(
            filter_form=self.get_filter_form(),
            within_days=self.selector_kwargs()["within_days"],
            show_trainer=can_see_all_trainers(self.actor) and self.view_as is None,
            today=gym_today(),
            extends=getattr(organization, "package_expiry_policy", "") == PackageExpiryPolicy.EXTEND,
            extension_days=getattr(organization, "package_extension_days", 0),
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
        sessions = list(selectors.package_sessions(actor=self.actor, package=package))
        context.update(
            package=package,
            can_manage=can_manage_package(self.actor, package),
            payments=selectors.package_payments(actor=self.actor, package=package),
            sessions=sessions,
            unheld_count=sum(session.is_unheld_booking for session in sessions),
            sees_audit_log=can_read_audit_log(self.actor),
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
    """Day and week as a time grid (one trainer's days, or one day's trainers side by side), or a month of cards.

    Someone who sees several trainers and picked none gets counts per trainer and day for a week or a month (a busy
    gym's every card would be too many) and the trainers side by side for a day."""

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
        view = data.get("view") or "week"
        day = data.get("day") or gym_today()
        if view == "day" or (view == "week" and (trainer is not None or trainers is None)):
            grid = selectors.calendar_time_grid(
                actor=self.actor, view=view, day=day, trainer=trainer, trainers=trainers
            )
            context.update(time_grid=grid, summary=False)
        else:
            grid = selectors.calendar_grid(actor=self.actor, view=view, day=day, trainer=trainer, trainers=trainers)
            context.update(weeks=grid.weeks, summary=grid.summary)
        query = self.request.GET.copy()
        query.pop("day", None)
        other_views = query.copy()
        other_views.pop("view", None)
        context.update(
            trainer_querystring=other_views.urlencode(),
            filter_form=form,
            view=grid.view,
            first=grid.first,
            last=grid.last,
            previous_day=grid.previous_day,
            next_day=grid.next_day,
            querystring=query.urlencode(),
            show_trainer=several and trainer is None,
            can_schedule=can_use_calendar(self.actor),
            can_pick_trainer=can_choose_session_trainer(self.actor),
            today=gym_today(),
            now=datetime.now(gym_timezone()),
        )
        return context


def calendar_url(actor, session):
    """The calendar's week of ``session``, of its trainer for those who pick trainers."""
    day = session.starts_at.astimezone(gym_timezone()).date()
    query = {"day": day.isoformat()}
    if can_choose_session_trainer(actor):
        query["trainer"] = session.trainer_id
    return f"{reverse('calendar')}?{urlencode(query)}"


class SessionScheduleView(TrainerPageView):
    permission = can_use_calendar
    template_name = "training/session_form.html"
    http_method_names = ["get", "post"]

    def get_form(self, data=None):
        # A click on a free slot of the calendar names the trainer, the day and the time.
        initial = {"day": self.request.GET.get("day") or gym_today(), "duration_minutes": 60}
        for name in ("client", "start"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        trainers = selectors.calendar_trainers(actor=self.actor) if can_choose_session_trainer(self.actor) else None
        if self.view_as is not None and trainers is not None:
            initial["trainer"] = self.view_as.pk
        if trainers is not None and self.request.GET.get("trainer"):
            initial["trainer"] = self.request.GET["trainer"]
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
                # Opened from a client's page (``?next=``, kept by the form's action): back there.
                return redirect(back_url(request) or calendar_url(self.actor, session))
        context = self.get_context_data(form=form, ask_confirmation=ask_confirmation)
        return self.render_to_response(context, status=400)


class SessionObjectMixin(ScopedObjectMixin, TrainerRequiredMixin):
    permission = can_use_calendar
    object_source = Session.objects.select_related("client", "trainer__user", "package")
    object_permission = can_manage_session


class SessionEditView(SessionObjectMixin, TemplateView):
    """Move a scheduled session (date, time, duration) or change its package and notes; the booking's rules apply."""

    template_name = "training/session_edit.html"
    http_method_names = ["get", "post"]

    def get_form(self, session, data=None):
        local = session.starts_at.astimezone(gym_timezone())
        initial = {
            "day": local.date(),
            "start": local.time().replace(second=0, microsecond=0),
            "duration_minutes": session.duration_minutes,
            "package": session.package_id,
            "notes": session.notes,
        }
        packages = selectors.session_packages(actor=self.actor, session=session)
        return SessionEditForm(data, packages=packages, initial=initial)

    def render_page(self, session, form, *, status=200, ask_confirmation=False):
        context = self.get_context_data(
            session=session,
            form=form,
            ask_confirmation=ask_confirmation,
            earlier_times=selectors.earlier_times(session),
            back_url=calendar_url(self.actor, session),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        session = self.get_scoped_object()
        return self.render_page(session, self.get_form(session))

    def post(self, request, *args, **kwargs):
        session = self.get_scoped_object()
        form = self.get_form(session, request.POST)
        ask_confirmation = False
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = session_services.session_reschedule(
                    actor=self.actor,
                    session=session,
                    starts_at=datetime.combine(data["day"], data["start"], tzinfo=gym_timezone()),
                    duration_minutes=data["duration_minutes"],
                    package=data.get("package"),
                    notes=data.get("notes", ""),
                    confirm_unavailable=data.get("confirm_unavailable", False),
                )
            except ApplicationError as error:
                ask_confirmation = error.extra.get("code") == "unavailable"
                form.add_application_error(error)
            else:
                messages.success(request, _("Session saved."))
                return redirect(calendar_url(self.actor, session))
        return self.render_page(session, form, status=400, ask_confirmation=ask_confirmation)


class SessionActionView(SessionObjectMixin, TemplateView):
    """Complete, cancel or record a no-show, after a confirmation: GET shows it (the page, or with HTMX only its
    body, for the calendar's ``<dialog>``), POST does it and goes back to the calendar, where a completion or
    no-show offers undo."""

    template_name = "training/session_confirm.html"
    http_method_names = ["get", "post"]
    action = "complete"

    FORMS = {"complete": SessionCompleteForm, "cancel": SessionCancelForm, "no_show": SessionNoShowForm}

    def done_message(self):
        return {
            "complete": _("Session completed."),
            "cancel": _("Session cancelled."),
            "no_show": _("Marked as no-show."),
        }[self.action]

    def render_confirmation(self, session, form, *, status=200):
        htmx = is_htmx(self.request)
        context = self.get_context_data(
            session=session,
            form=form,
            action=self.action,
            action_url=self.request.path,
            terms=session_services.cancellation_terms(session) if self.action == "cancel" else None,
            back_url=calendar_url(self.actor, session),
        )
        template = f"{self.template_name}#dialog" if htmx else self.template_name
        response = self.response_class(
            request=self.request, template=template, context=context, using=self.template_engine, status=status
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get(self, request, *args, **kwargs):
        session = self.get_scoped_object()
        return self.render_confirmation(session, self.FORMS[self.action]())

    def post(self, request, *args, **kwargs):
        session = self.get_scoped_object()
        form = self.FORMS[self.action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if self.action == "complete":
                    session_services.session_complete(actor=self.actor, session=session, notes=data["notes"])
                elif self.action == "cancel":
                    session_services.session_cancel(
                        actor=self.actor, session=session, by_trainer=data["by"] == "trainer", reason=data["reason"]
                    )
                else:
                    session_services.session_no_show(actor=self.actor, session=session)
            except ApplicationError as error:
                if any(field in form.fields for field in error.field_errors if field):
                    form.add_application_error(error)
                    return self.render_confirmation(session, form, status=400)
                messages.error(request, error.message)
            else:
                messages.success(request, self.done_message())
        return redirect(calendar_url(self.actor, session))


class SessionUndoView(SessionObjectMixin, View):
    """POST: take back a completion or a no-show (within 24 hours); back to the calendar."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_scoped_object()
        try:
            session_services.session_undo(actor=self.actor, session=session)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Undone: the session is scheduled again."))
        return redirect(calendar_url(self.actor, session))
