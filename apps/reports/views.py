from datetime import date, timedelta

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.access import is_active_member, is_owner
from apps.analytics.selectors import analytics_trainer, analytics_trainers
from apps.assessments import selectors as assessment_selectors
from apps.assessments.services import assessment_report_details_set
from apps.clients import selectors as client_selectors
from apps.clients.permissions import can_edit_client, can_use_clients
from apps.clients.services import client_report_language_set
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError
from apps.core.views import ScopedObjectMixin, TrainerPageView, TrainerRequiredMixin

from .assessment import LANGUAGES, assessment_report, report_pdf
from .forms import ReportDetailsForm, ReportExportForm, ReportLanguageForm
from .models import ExportStatus, ReportExport
from .monthly import monthly_pdf, monthly_report
from .pdf import ReportRenderingError
from .services import report_email, report_export_request

# Said when WeasyPrint fails on a report (nothing was stored or sent).
RENDERING_FAILED = gettext_lazy("The report could not be drawn. Nothing was kept; try again in a moment.")


def report_language(request, remembered: str = "") -> str:
    """``?language=``, else the client's remembered choice, else the reader's language; English or Korean."""
    language = request.GET.get("language") or remembered or translation.get_language() or "en"
    return language[:2] if language[:2] in LANGUAGES else "en"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A download that no shared cache keeps (reports carry personal data)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class AssessmentReportView(ScopedObjectMixin, TrainerPageView):
    """The assessment's PDF report, for whoever may open the assessment's page (404 otherwise). ``language``: "en"
    or "ko" (default: the reader's language)."""

    permission = can_use_clients
    http_method_names = ["get"]

    def get_object_source(self):
        return assessment_selectors.assessment_detail_source()

    def get(self, request, *args, **kwargs):
        assessment = self.get_scoped_object()
        language = report_language(request, assessment.client.report_language)
        report = assessment_report(actor=self.actor, assessment=assessment, language=language)
        try:
            return pdf_response(*report_pdf(report))
        except ReportRenderingError:
            messages.error(request, RENDERING_FAILED)
            return redirect(f"{reverse('assessment_detail', args=[assessment.pk])}#report")


class AssessmentReportWriteView(ScopedObjectMixin, TrainerRequiredMixin, View):
    """A POST about an assessment's report, by whoever may edit its client; answered back on its report card."""

    permission = can_use_clients
    object_permission = staticmethod(lambda actor, assessment: can_edit_client(actor, assessment.client))
    http_method_names = ["post"]

    def get_object_source(self):
        return assessment_selectors.assessment_detail_source()

    def back_to_report(self, assessment):
        return redirect(f"{reverse('assessment_detail', args=[assessment.pk])}#report")


class AssessmentReportDetailsView(AssessmentReportWriteView):
    """POST the next assessment's date and a note for the report; back to the assessment's page."""

    def post(self, request, *args, **kwargs):
        assessment = self.get_scoped_object()
        form = ReportDetailsForm(request.POST, assessment=assessment)
        if form.is_valid():
            try:
                assessment_report_details_set(
                    actor=self.actor,
                    assessment=assessment,
                    reassess_on=form.cleaned_data["reassess_on"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
        if form.errors:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
        else:
            messages.success(request, _("Saved for the report."))
        return self.back_to_report(assessment)


class ClientReportLanguageView(ScopedObjectMixin, TrainerRequiredMixin, View):
    """POST the language of the client's reports; back to where the form was."""

    permission = can_use_clients
    object_permission = staticmethod(can_edit_client)
    http_method_names = ["post"]

    def get_object_source(self):
        return client_selectors.client_page_source()

    def post(self, request, *args, **kwargs):
        client = self.get_scoped_object()
        form = ReportLanguageForm(request.POST)
        if form.is_valid():
            try:
                client_report_language_set(actor=self.actor, client=client, language=form.cleaned_data["language"])
            except ApplicationError as error:
                form.add_application_error(error)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        if not form.errors:
            language = dict(form.fields["language"].choices)[form.cleaned_data["language"]]
            messages.success(request, _("Reports of this client will be in %(language)s.") % {"language": language})
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False)
        return redirect(back if back and safe else reverse("client_detail", args=[client.pk]))


class MonthlyReportView(TrainerRequiredMixin, View):
    """A trainer's month as a PDF, for whoever may see that trainer's analytics (404 otherwise); money only for
    those who may see it. ``/analytics/trainers/<pk>/report/<yyyy>-<mm>.pdf``."""

    permission = staticmethod(is_active_member)
    http_method_names = ["get"]

    def get(self, request, pk, year, month):
        trainer = analytics_trainer(actor=self.actor, pk=pk)
        if trainer is None or not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise Http404
        if date(year, month, 1) > gym_today():
            raise Http404
        report = monthly_report(actor=self.actor, trainer=trainer, year=year, month=month)
        try:
            return pdf_response(*monthly_pdf(report, language=report_language(request)))
        except ReportRenderingError:
            messages.error(request, RENDERING_FAILED)
            return redirect(reverse("analytics_trainer", args=[trainer.pk]))


class AssessmentReportEmailView(AssessmentReportWriteView):
    """POST: e-mail the report to the client (in the client's report language unless ``language`` says)."""

    def post(self, request, *args, **kwargs):
        assessment = self.get_scoped_object()
        language = request.POST.get("language") or assessment.client.report_language or "en"
        try:
            report_email(actor=self.actor, assessment=assessment, language=language)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The report is on its way to %(email)s.") % {"email": assessment.client.email})
        return self.back_to_report(assessment)


def _export_trainers(actor):
    """Whom an export can be narrowed to: the trainers whose analytics the owner sees (coaching members)."""
    from apps.trainers.models import Trainer

    return Trainer.objects.filter(pk__in=[trainer.pk for trainer in analytics_trainers(actor=actor)]).select_related(
        "user"
    )


class ReportExportsView(TrainerPageView):
    """The owner's exports: a form to ask for one and the list of the last ones, with their progress."""

    permission = staticmethod(is_owner)
    template_name = "reports/exports.html"

    def get_context_data(self, **kwargs):
        today = gym_today()
        form = kwargs.pop("form", None) or ReportExportForm(
            initial={"first_day": today - timedelta(days=29), "last_day": today}, trainers=_export_trainers(self.actor)
        )
        exports = ReportExport.objects.visible_to(self.actor).select_related("trainer__user")[:20]
        return super().get_context_data(form=form, exports=exports, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ReportExportForm(request.POST, trainers=_export_trainers(self.actor))
        if form.is_valid():
            try:
                report_export_request(
                    actor=self.actor,
                    first_day=form.cleaned_data["first_day"],
                    last_day=form.cleaned_data["last_day"],
                    trainer=form.cleaned_data["trainer"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The export has started; this page shows its progress."))
        return redirect("report_exports")


class ReportExportStatusView(ScopedObjectMixin, TrainerRequiredMixin, View):
    """One export's row (HTMX polls it until it is finished). Someone else's export: 404."""

    permission = staticmethod(is_owner)
    object_source = ReportExport.objects.select_related("trainer__user")
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        export = self.get_scoped_object()
        return render(request, "reports/_export_row.html", {"export": export})


class ReportExportDownloadView(ScopedObjectMixin, TrainerRequiredMixin, View):
    """The ZIP of a finished export, to its requester only, until it expires."""

    permission = staticmethod(is_owner)
    object_source = ReportExport.objects.all()
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        export = self.get_scoped_object()
        if export.status != ExportStatus.DONE or not export.file or not default_storage.exists(export.file.name):
            raise Http404
        name = f"reports-{export.first_day.isoformat()}-{export.last_day.isoformat()}.zip"
        response = FileResponse(default_storage.open(export.file.name, "rb"), as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response
