"""The pages of a client's whole file: the list (search, filters, sort, pages, CSV export) with packages and scores,
the client's page with timeline and progress, and for the owner the JSON export of everything and erasure.

A client the actor may not see answers 404, like one that does not exist.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from apps.assessments.charts import progress_chart
from apps.assessments.selectors import assessment_progress
from apps.clients import services as client_services
from apps.clients.csv_io import export_rows
from apps.clients.forms import EraseForm
from apps.clients.permissions import (
    can_archive_client,
    can_create_client,
    can_edit_client,
    can_erase_client,
    can_export_client_data,
    can_pick_client_trainer,
    can_use_clients,
)
from apps.clients.views import ClientFilterMixin, ClientMixin
from apps.core.errors import ApplicationError
from apps.core.money import current_currency, quantize_money
from apps.core.navigation import detail_url_prefix
from apps.core.views import ScopedListView, TrainerPageView, TrainerRequiredMixin
from apps.training import selectors as training_selectors
from apps.training.permissions import (
    can_book_session_for,
    can_sell_to,
    can_take_payment_from,
    can_use_packages,
)
from apps.training.services import payments as payment_services

from . import selectors, services
from .forms import ClientPaymentForm


class ClientListView(ClientFilterMixin, ScopedListView):
    permission = can_use_clients
    selector = selectors.client_list_rows
    template_name = "clients/list.html"
    context_object_name = "clients"

    def selector_kwargs(self):
        return self.filter_kwargs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["client_url_prefix"] = detail_url_prefix("client_detail")
        context["show_trainer"] = can_pick_client_trainer(self.actor) and self.view_as is None
        context["can_create"] = can_create_client(self.actor)
        # An empty page says why: no client at all (what to do next) or none matching the filters. One more query,
        # only when the page is empty.
        paginator = context.get("paginator")
        context["has_clients"] = bool(paginator and paginator.count) or (
            selectors.client_list(actor=self.actor, **self.trainer_filter_kwargs({})).exists()
        )
        return context


class ClientExportView(ClientFilterMixin, TrainerRequiredMixin, View):
    """The visible clients matching the list's filters, as CSV."""

    permission = can_use_clients

    def get(self, request, *args, **kwargs):
        filters = self.filter_kwargs()
        lines = list(export_rows(selectors.client_list(actor=self.actor, **filters)))
        client_services.clients_exported(actor=self.actor, count=len(lines) - 1, filters=filters)
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="clients-{timezone.now():%Y%m%d}.csv"'
        return response


class ClientDetailView(ClientMixin, TrainerPageView):
    permission = can_use_clients
    template_name = "clients/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = self.get_client()
        client_services.client_record_viewed(actor=self.actor, client=client)
        context.update(
            client=client,
            timeline=selectors.client_timeline(actor=self.actor, client=client),
            active_packages=training_selectors.client_active_packages(actor=self.actor, client=client),
            progress=progress_chart(assessment_progress(actor=self.actor, client=client)),
            can_edit=can_edit_client(self.actor, client),
            can_archive=can_archive_client(self.actor, client),
            can_export=can_export_client_data(self.actor),
            can_erase=can_erase_client(self.actor, client),
            can_sell=can_sell_to(self.actor, client),
            can_book=can_book_session_for(self.actor, client),
            # The button shows only when some package of the client still has a balance due (one query).
            can_take_payment=can_take_payment_from(self.actor, client)
            and training_selectors.payable_packages(actor=self.actor, client=client).exists(),
        )
        return context


class ClientPaymentCreateView(ClientMixin, TrainerPageView):
    """Record a payment from the client's page: one of the client's packages with a balance due (the newest is
    preselected, its balance as the amount), then back to the client's page. Assistants: 404 (no money)."""

    permission = can_use_packages
    template_name = "clients/payment_form.html"
    http_method_names = ["get", "post"]

    def get_form(self, client, data=None):
        packages = training_selectors.payable_packages(actor=self.actor, client=client)
        first = packages.first() if data is None else None
        initial = {}
        if first is not None:  # the balance in the package's minor unit: 550000 won, not 550000.000
            initial = {"package": first.pk, "amount": quantize_money(first.balance_due, first.currency)}
        return ClientPaymentForm(data, packages=packages, currency=current_currency(), initial=initial)

    def get(self, request, *args, **kwargs):
        client = self.get_client()
        return self.render_to_response(self.get_context_data(client=client, form=self.get_form(client)))

    def post(self, request, *args, **kwargs):
        client = self.get_client()
        form = self.get_form(client, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                payment_services.payment_record(actor=self.actor, **data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Payment recorded."))
                return redirect("client_detail", client.pk)
        return self.render_to_response(self.get_context_data(client=client, form=form), status=400)


class ClientDataExportView(ClientMixin, TrainerRequiredMixin, View):
    """Owner only: everything about one client as a JSON file. The export is audited."""

    permission = can_export_client_data

    def get(self, request, *args, **kwargs):
        client = self.get_client()
        client_services.client_record_viewed(actor=self.actor, client=client, what="export")
        data = selectors.client_data_export(actor=self.actor, client=client)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.json"'
        return response


class ClientEraseView(ClientMixin, TrainerPageView):
    permission = can_export_client_data
    template_name = "clients/erase.html"
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        client = self.get_client()
        return self.render_to_response(self.get_context_data(client=client, form=EraseForm()))

    def post(self, request, *args, **kwargs):
        client = self.get_client()
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                client = services.client_erase(actor=self.actor, client=client)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The client's personal data is erased. Their records are kept."))
            return redirect("client_detail", client.pk)
        return self.render_to_response(self.get_context_data(client=client, form=form), status=400)
