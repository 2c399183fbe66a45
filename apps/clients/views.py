"""Client pages: create, edit, archive, screening, CSV import. The list, the client's page, the JSON export and
erasure read across apps: ``apps.clientfile.views``.

A client the actor may not see answers 404, like one that does not exist.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from apps.core.errors import ApplicationError
from apps.core.views import ScopedObjectMixin, TrainerPageView, TrainerRequiredMixin

from . import selectors, services
from .csv_io import MAX_ROWS, import_clients
from .forms import ClientFilterForm, ClientForm, ImportForm, ScreeningForm
from .permissions import (
    can_archive_client,
    can_choose_trainer,
    can_create_client,
    can_edit_client,
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


class ClientMixin(ScopedObjectMixin):
    """The client named in the URL if the actor may see it (else 404); ``edit=True`` also needs the right to edit."""

    def get_object_source(self):
        return selectors.client_page_source()

    def get_client(self, *, edit=False):
        return self.get_scoped_object(can_edit_client if edit else None)


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
        initial["reminders_consent"] = client.reminders_consent_at is not None
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
