"""The week grid of a trainer's availability, edited in place.

Every page and action works as a plain form post followed by a redirect. With HTMX (``HX-Request``) the
same URLs answer with the ``panel`` partial of the page instead, which the page swaps in place: the grid,
the add-slot form and the time-off list are one panel, so whatever changed is redrawn with it. HTMX 2 does
not swap 4xx responses by default, so a refused HTMX post answers 200 with the errors at the fields; without
HTMX it answers 400 with the whole page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from apps.core.errors import ApplicationError
from apps.core.navigation import is_htmx
from apps.core.scoping import get_object_or_404
from apps.core.views import TrainerRequiredMixin

from ..forms.availability import SlotForm, TimeOffForm
from ..models import Trainer
from ..permissions import can_edit_availability, can_view_availability
from ..selectors import availability as selectors
from ..services import availability as services

TEMPLATE = "trainers/availability/page.html"


class AvailabilityBaseView(TrainerRequiredMixin, View):
    """Resolves the trainer of the URL (``pk``; none means the actor) or answers 404."""

    needs_edit = False

    def get_trainer(self):
        pk = self.kwargs.get("pk")
        permission = can_edit_availability if self.needs_edit else can_view_availability
        if pk is None:
            return self.actor  # one's own availability: always visible and editable
        return get_object_or_404(self.actor, Trainer.objects.select_related("user"), pk, permission=permission)

    def week(self):
        return selectors.parse_week(self.request.POST.get("week") or self.request.GET.get("week"))

    def page_url(self, trainer, week=None):
        if trainer.pk == self.actor.pk:
            url = reverse("availability")
        else:
            url = reverse("trainer_availability", kwargs={"pk": trainer.pk})
        if week is not None and week != selectors.week_start_of(selectors.organization_today()):
            url += f"?week={week.isoformat()}"
        return url

    def render_panel(self, trainer, *, status=200, notice="", notice_level="success", **forms):
        """The whole page, or only its panel for HTMX. ``forms``: slot_form, time_off_form, editing, edit_form."""
        can_edit = can_edit_availability(self.actor, trainer)
        week = self.week()
        grid = selectors.availability_week(actor=self.actor, trainer=trainer, week_start=week)
        context = {
            "grid": grid,
            "subject": trainer,
            "is_own": trainer.pk == self.actor.pk,
            "can_edit": can_edit,
            "page_url": self.page_url(trainer),
            "week_param": week.isoformat(),
            "time_off_list": selectors.time_off_list(actor=self.actor, trainer=trainer, since=min(grid.today, week)),
            "editing": forms.get("editing"),
            "edit_form": forms.get("edit_form"),
            "notice": notice,
            "notice_level": notice_level,
        }
        if can_edit:
            context["slot_form"] = forms.get("slot_form") if "slot_form" in forms else SlotForm(prefix="add")
            context["time_off_form"] = (
                forms.get("time_off_form") if "time_off_form" in forms else TimeOffForm(prefix="timeoff")
            )
        htmx = is_htmx(self.request)
        response = TemplateResponse(
            self.request,
            f"{TEMPLATE}#panel" if htmx else TEMPLATE,
            context,
            status=200 if htmx else status,
        )
        patch_vary_headers(response, ["HX-Request"])
        return response

    def done(self, trainer, notice):
        """After a successful write: the fresh panel for HTMX, else a message and a redirect (post/redirect/get)."""
        if is_htmx(self.request):
            return self.render_panel(trainer, notice=notice)
        messages.success(self.request, notice)
        return redirect(self.page_url(trainer, self.week()))

    def refused(self, trainer, message):
        """A write refused without a form to show it on (removing what someone else removed first)."""
        if is_htmx(self.request):
            return self.render_panel(trainer, notice=message, notice_level="error")
        messages.error(self.request, message)
        return redirect(self.page_url(trainer, self.week()))


class AvailabilityView(AvailabilityBaseView):
    """``availability/`` (my week) and ``trainers/<pk>/availability/`` (owner or senior looking at a trainer)."""

    http_method_names = ["get"]

    def get(self, request, pk=None):
        return self.render_panel(self.get_trainer())


class WriteView(AvailabilityBaseView):
    needs_edit = True
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        # The forms post here; a GET (a reload after an error, a language switch) goes back to the page.
        return redirect(self.page_url(self.get_trainer(), self.week()))


class SlotAddView(WriteView):
    def post(self, request, pk):
        trainer = self.get_trainer()
        form = SlotForm(request.POST, prefix="add")
        if form.is_valid():
            try:
                slot = services.availability_slot_add(actor=self.actor, trainer=trainer, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return self.done(trainer, _("Added %(slot)s.") % {"slot": _slot_label(slot)})
        return self.render_panel(trainer, slot_form=form, status=400)


class SlotEditView(WriteView):
    """GET: the page with this slot's form in place of its block. POST: save it."""

    def get_slot(self, trainer):
        slot = selectors.availability_slot_get(actor=self.actor, trainer=trainer, pk=self.kwargs["slot_pk"])
        if slot is None:
            raise Http404
        return slot

    def get(self, request, pk, slot_pk):
        trainer = self.get_trainer()
        slot = self.get_slot(trainer)
        return self.render_panel(trainer, editing=slot, edit_form=_edit_form(slot))

    def post(self, request, pk, slot_pk):
        trainer = self.get_trainer()
        slot = self.get_slot(trainer)
        form = _edit_form(slot, data=request.POST)
        if form.is_valid():
            try:
                slot = services.availability_slot_update(actor=self.actor, slot=slot, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return self.done(trainer, _("Saved %(slot)s.") % {"slot": _slot_label(slot)})
        return self.render_panel(trainer, editing=slot, edit_form=form, status=400)


class SlotDeleteView(SlotEditView):
    def get(self, request, pk, slot_pk):
        return WriteView.get(self, request, pk)

    def post(self, request, pk, slot_pk):
        trainer = self.get_trainer()
        slot = self.get_slot(trainer)
        label = _slot_label(slot)
        try:
            services.availability_slot_remove(actor=self.actor, slot=slot)
        except ApplicationError as error:
            return self.refused(trainer, error.message)
        return self.done(trainer, _("Removed %(slot)s.") % {"slot": label})


class TimeOffAddView(WriteView):
    def post(self, request, pk):
        trainer = self.get_trainer()
        form = TimeOffForm(request.POST, prefix="timeoff")
        if form.is_valid():
            try:
                services.time_off_add(actor=self.actor, trainer=trainer, **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                return self.done(trainer, _("Time off added."))
        return self.render_panel(trainer, time_off_form=form, status=400)


class TimeOffDeleteView(WriteView):
    def get(self, request, pk, time_off_pk):
        return super().get(request, pk)

    def post(self, request, pk, time_off_pk):
        trainer = self.get_trainer()
        time_off = selectors.time_off_get(actor=self.actor, trainer=trainer, pk=time_off_pk)
        if time_off is None:
            raise Http404
        try:
            services.time_off_remove(actor=self.actor, time_off=time_off)
        except ApplicationError as error:
            return self.refused(trainer, error.message)
        return self.done(trainer, _("Time off removed."))


def _edit_form(slot, data=None):
    form = SlotForm(data, prefix="edit", slot=slot)
    form.fields["weekday"].widget.attrs["autofocus"] = True
    return form


def _slot_label(slot):
    return services.describe_slot(slot.weekday, slot.starts_at, slot.ends_at)
