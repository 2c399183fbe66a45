"""Client pages: list (search, filters, sort, pages, CSV export), page, create, edit, archive, screening,
CSV import; for the owner, a JSON export of everything about one client and erasure.

A client the actor may not see answers 404, like one that does not exist.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from apps.assessments.charts import progress_chart
from apps.assessments.selectors import assessment_progress
from apps.core.errors import ApplicationError
from apps.core.views import ScopedListView, ScopedObjectMixin, TrainerPageView, TrainerRequiredMixin
from apps.core.visibility import sees_several_trainers

from . import selectors, services
from .csv_io import MAX_ROWS, export_rows, import_clients
from .forms import ClientFilterForm, ClientForm, EraseForm, ImportForm, ScreeningForm
from .permissions import (
    can_archive_client,
    can_choose_trainer,
    can_create_client,
    can_edit_client,
    can_erase_client,
    can_export_client_data,
    can_pick_client_trainer,
    can_use_clients,
)


class ClientFilterMixin:
    def get_filter_form(self):
        if getattr(self, "filter_form", None) is None:
            trainers = None if self.view_as else selectors.client_filter_trainers(actor=self.actor)
            self.filter_form = ClientFilterForm(self.request.GET, trainers=trainers)
        return self.filter_form

    def filter_kwargs(self):
        return self.trainer_filter_kwargs(self.get_filter_form().selector_kwargs())


class ClientListView(ClientFilterMixin, ScopedListView):
    permission = can_use_clients
    selector = selectors.client_list
    template_name = "clients/list.html"
    context_object_name = "clients"

    def selector_kwargs(self):
        return self.filter_kwargs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["show_trainer"] = sees_several_trainers(self.actor) and self.view_as is None
        context["can_create"] = can_create_client(self.actor)
        return context


class ClientExportView(ClientFilterMixin, TrainerRequiredMixin, View):
    """The visible clients matching the list's filters, as CSV."""

    permission = can_use_clients

    def get(self, request, *args, **kwargs):
        filters = self.filter_kwargs()
        lines = list(export_rows(selectors.client_list(actor=self.actor, **filters)))
        services.clients_exported(actor=self.actor, count=len(lines) - 1, filters=filters)
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="clients-{timezone.now():%Y%m%d}.csv"'
        return response


class ClientMixin(ScopedObjectMixin):
    """The client named in the URL if the actor may see it (else 404); ``edit=True`` also needs the right to edit."""

    object_selector = selectors.client_get

    def get_client(self, *, edit=False):
        return self.get_scoped_object(can_edit_client if edit else None)


class ClientDetailView(ClientMixin, TrainerPageView):
    permission = can_use_clients
    template_name = "clients/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = self.get_client()
        services.client_record_viewed(actor=self.actor, client=client)
        context.update(
            client=client,
            timeline=selectors.client_timeline(actor=self.actor, client=client),
            progress=progress_chart(assessment_progress(actor=self.actor, client=client)),
            can_edit=can_edit_client(self.actor, client),
            can_archive=can_archive_client(self.actor, client),
            can_export=can_export_client_data(self.actor),
            can_erase=can_erase_client(self.actor, client),
        )
        return context


class ClientFormView(TrainerPageView):
    permission = can_create_client
    template_name = "clients/form.html"
    http_method_names = ["get", "post"]
    object = None

    def render_form(self, form, status=200):
        return self.render_to_response(self.get_context_data(form=form, object=self.object), status=status)

    def trainers(self):
        return selectors.client_trainer_options(actor=self.actor) if can_pick_client_trainer(self.actor) else None


class ClientCreateView(ClientFormView):
    def get(self, request, *args, **kwargs):
        initial_trainer = self.view_as or self.actor
        return self.render_form(ClientForm(trainers=self.trainers(), initial={"trainer": initial_trainer.pk}))

    def post(self, request, *args, **kwargs):
        form = ClientForm(request.POST, trainers=self.trainers())
        if form.is_valid():
            data = dict(form.cleaned_data)
            trainer = data.pop("trainer", None)
            try:
                client = services.client_create(actor=self.actor, trainer=trainer, **data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Client “%(name)s” added.") % {"name": client})
                return redirect("client_detail", client.pk)
        return self.render_form(form, status=400)


class ClientUpdateView(ClientMixin, ClientFormView):
    def trainers(self):
        if not can_choose_trainer(self.actor):
            return None
        return selectors.client_trainer_options(actor=self.actor, current_id=self.object.trainer_id)

    def form(self, data=None):
        client = self.object
        initial = {name: getattr(client, name) for name in services.PROFILE_FIELDS}
        initial["trainer"] = client.trainer_id
        return ClientForm(data, trainers=self.trainers(), initial=initial)

    def get(self, request, *args, **kwargs):
        self.object = self.get_client(edit=True)
        return self.render_form(self.form())

    def post(self, request, *args, **kwargs):
        self.object = self.get_client(edit=True)
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            trainer = data.pop("trainer", None)
            try:
                client = services.client_update(actor=self.actor, client=self.object, trainer=trainer, **data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Client “%(name)s” saved.") % {"name": client})
                return redirect("client_detail", client.pk)
        return self.render_form(form, status=400)


class ClientStatusView(ClientMixin, TrainerRequiredMixin, View):
    permission = can_use_clients
    http_method_names = ["post"]
    archive = True

    def post(self, request, *args, **kwargs):
        client = self.get_client(edit=True)
        if not can_archive_client(self.actor, client):
            raise Http404
        if self.archive:
            client = services.client_archive(actor=self.actor, client=client)
            messages.success(request, _("“%(name)s” is archived. Nothing of theirs is deleted.") % {"name": client})
        else:
            client = services.client_unarchive(actor=self.actor, client=client)
            messages.success(request, _("“%(name)s” is active again.") % {"name": client})
        return redirect("client_detail", client.pk)


class ScreeningView(ClientMixin, TrainerPageView):
    permission = can_use_clients
    template_name = "clients/screening.html"
    http_method_names = ["get", "post"]

    def render_form(self, client, form, status=200):
        return self.render_to_response(self.get_context_data(client=client, form=form), status=status)

    def get(self, request, *args, **kwargs):
        client = self.get_client(edit=True)
        initial = {key: ("yes" if value else "no") for key, value in (client.screening or {}).items()}
        return self.render_form(client, ScreeningForm(initial=initial))

    def post(self, request, *args, **kwargs):
        client = self.get_client(edit=True)
        form = ScreeningForm(request.POST)
        if form.is_valid():
            try:
                client = services.screening_update(
                    actor=self.actor, client=client, answers=form.answers(), consent=form.cleaned_data["consent"]
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Health screening saved."))
                return redirect("client_detail", client.pk)
        return self.render_form(client, form, status=400)


class ClientImportView(TrainerPageView):
    permission = can_create_client
    template_name = "clients/import.html"
    http_method_names = ["get", "post"]

    def trainers(self):
        return selectors.client_trainer_options(actor=self.actor) if can_pick_client_trainer(self.actor) else None

    def get(self, request, *args, **kwargs):
        form = ImportForm(trainers=self.trainers(), initial={"trainer": self.actor.pk})
        return self.render_to_response(self.get_context_data(form=form, max_rows=MAX_ROWS))

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES, trainers=self.trainers())
        report = None
        if form.is_valid():
            try:
                report = import_clients(
                    actor=self.actor, upload=form.cleaned_data["file"], trainer=form.cleaned_data.get("trainer")
                )
            except ApplicationError as error:
                form.add_application_error(error)
        status = 200 if report is not None else 400
        return self.render_to_response(
            self.get_context_data(form=form, report=report, max_rows=MAX_ROWS), status=status
        )


class ClientDataExportView(ClientMixin, TrainerRequiredMixin, View):
    """Owner only: everything about one client as a JSON file. The export is audited."""

    permission = can_export_client_data

    def get(self, request, *args, **kwargs):
        client = self.get_client()
        services.client_record_viewed(actor=self.actor, client=client, what="export")
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
