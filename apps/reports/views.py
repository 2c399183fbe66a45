from django.http import HttpResponse
from django.utils import translation

from apps.assessments import selectors as assessment_selectors
from apps.clients.permissions import can_use_clients
from apps.core.views import ScopedObjectMixin, TrainerPageView

from .assessment import LANGUAGES, assessment_report, report_pdf


class AssessmentReportView(ScopedObjectMixin, TrainerPageView):
    """The assessment's PDF report, for whoever may open the assessment's page (404 otherwise). ``language``: "en"
    or "ko" (default: the reader's language)."""

    permission = can_use_clients
    http_method_names = ["get"]

    def get_object_source(self):
        return assessment_selectors.assessment_detail_source()

    def get(self, request, *args, **kwargs):
        assessment = self.get_scoped_object()
        language = request.GET.get("language") or translation.get_language() or "en"
        language = language[:2] if language[:2] in LANGUAGES else "en"
        report = assessment_report(actor=self.actor, assessment=assessment, language=language)
        content, filename = report_pdf(report)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
