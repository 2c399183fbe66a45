"""Assessment pages: a client's list, one assessment (overrides marked, missing tests listed), comparison.

The step-by-step entry form for the gym floor is not here yet. Anything the actor may not see answers 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.clients import selectors as client_selectors
from apps.clients.permissions import can_edit_client, can_use_clients
from apps.core.errors import ApplicationError
from apps.core.scoping import get_object_or_404
from apps.core.views import ScopedListView, ScopedObjectMixin, TrainerPageView

from . import selectors, services
from .forms import AssessmentForm, OverrideForm, grouped_fields
from .labels import band_label, explain, flag_label, points_label
from .models import CATEGORY_LABELS, TestTypeChoices
from .scoring import CATEGORY_TESTS, SCORING_VERSION, Category, norms


def _client_or_404(actor, pk, permission=None):
    return get_object_or_404(actor, client_selectors.client_page_source(), pk, permission=permission)


class AssessmentListView(ScopedListView):
    permission = can_use_clients
    selector = selectors.assessment_list_for_client
    template_name = "assessments/list.html"
    context_object_name = "assessments"

    def selector_kwargs(self):
        self.client = _client_or_404(self.actor, self.kwargs["client_pk"])
        return {"client": self.client}

    def get_context_data(self, **kwargs):
        can_assess = can_edit_client(self.actor, self.client)
        return super().get_context_data(client=self.client, can_assess=can_assess, **kwargs)


def _result_rows(assessment):
    labels = dict(TestTypeChoices.choices)
    results = {r.test_type: r for r in assessment.results.all()}
    sections = []
    for category in Category.ALL:
        rows = []
        for test_type in CATEGORY_TESTS[category]:
            result = results.get(test_type)
            words = explain(result, age=assessment.age_at_test, sex=assessment.sex_at_test) if result else {}
            rows.append({"label": labels[test_type], "result": result, **words})
        sections.append(
            {"label": CATEGORY_LABELS[category], "score": assessment.category_scores()[category], "rows": rows}
        )
    return sections


class AssessmentDetailView(ScopedObjectMixin, TrainerPageView):
    permission = can_use_clients
    template_name = "assessments/detail.html"

    def get_object_source(self):
        return selectors.assessment_detail_source()

    def get_assessment(self):
        return self.get_scoped_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = kwargs.get("assessment") or self.get_assessment()
        labels = dict(TestTypeChoices.choices)
        context.update(
            assessment=assessment,
            client=assessment.client,
            sections=_result_rows(assessment),
            missing_tests=[labels[t] for t in assessment.missing.get("tests", [])],
            missing_categories=[CATEGORY_LABELS[c] for c in assessment.missing.get("categories", [])],
            can_edit=can_edit_client(self.actor, assessment.client),
            override_form=kwargs.get("override_form") or OverrideForm(),
            override_result_id=kwargs.get("override_result_id"),
            current_version=SCORING_VERSION,
            rescored_from=self._rescored_from(assessment),
        )
        return context

    def _rescored_from(self, assessment):
        """After a re-score, the version it came from (to offer the way back), from the redirect's query."""
        version = self.request.GET.get("rescored_from", "")
        return version if version in norms.VERSIONS and version != assessment.scoring_version else ""


class OverrideView(AssessmentDetailView):
    """POST a score and a reason for one test result; errors show on the assessment page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        result = next((r for r in assessment.results.all() if r.pk == self.kwargs["result_pk"]), None)
        if result is None or not can_edit_client(self.actor, assessment.client):
            raise Http404
        if request.POST.get("remove"):
            services.test_result_override_remove(actor=self.actor, result=result)
            messages.success(request, _("Back to the computed score."))
            return redirect("assessment_detail", pk=assessment.pk)
        form = OverrideForm(request.POST)
        if form.is_valid():
            try:
                services.test_result_override(
                    actor=self.actor,
                    result=result,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Score overridden."))
                return redirect("assessment_detail", pk=assessment.pk)
        context = self.get_context_data(assessment=assessment, override_form=form, override_result_id=result.pk)
        return self.render_to_response(context, status=400)


class AssessmentCompareView(TrainerPageView):
    permission = can_use_clients
    template_name = "assessments/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = _client_or_404(self.actor, self.kwargs["client_pk"])
        ids = [int(value) for value in self.request.GET.getlist("ids") if value.isdigit()]
        context["client"] = client
        try:
            context["comparison"] = selectors.assessment_compare(actor=self.actor, client=client, assessment_ids=ids)
        except ApplicationError as error:
            context["error"] = error.message
        return context


class AssessmentCreateView(TrainerPageView):
    """One page with every test, grouped by category; empty tests are simply not measured."""

    permission = can_use_clients
    template_name = "assessments/form.html"

    def get_client(self):
        return _client_or_404(self.actor, self.kwargs["client_pk"], can_edit_client)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = kwargs.get("client") or self.get_client()
        form = kwargs.get("form") or AssessmentForm(client=client)
        context.update(client=client, form=form, groups=grouped_fields(form))
        return context

    def post(self, request, *args, **kwargs):
        client = self.get_client()
        form = AssessmentForm(request.POST, client=client)
        if form.is_valid():
            try:
                assessment = services.assessment_create(actor=self.actor, client=client, **form.service_kwargs())
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Assessment saved."))
                return redirect("assessment_detail", pk=assessment.pk)
        return self.render_to_response(self.get_context_data(client=client, form=form), status=400)


class AssessmentPreviewView(AssessmentCreateView):
    """The live preview of the entry form (HTMX): scores of what is entered so far; nothing is saved."""

    template_name = "assessments/_preview.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        client = self.get_client()
        form = AssessmentForm(request.POST, client=client)
        context = {"client": client}
        if form.is_valid():
            data = form.cleaned_data
            try:
                score = services.assessment_preview(
                    actor=self.actor,
                    client=client,
                    performed_at=data["performed_at"] or timezone.now(),
                    age=data.get("age"),
                    results=form.results(),
                )
            except ApplicationError as error:
                # Every complaint, each once: the preview has no fields to put them on.
                complaints = [message for messages in error.field_errors.values() for message in messages]
                context["error"] = " ".join(dict.fromkeys(complaints))
            else:
                labels = dict(TestTypeChoices.choices)
                context.update(
                    score=score,
                    categories=[(CATEGORY_LABELS[name], category.score) for name, category in score.categories.items()],
                    tests=[
                        (
                            labels[t],
                            points_label(result.points),
                            band_label(result.band) if result.band else "",
                            [flag_label(code) for code in result.flags],
                        )
                        for t, result in score.tests.items()
                    ],
                )
        else:
            context["error"] = _("Check the values marked in the form.")
        return self.render_to_response(context)


def _changes_for_page(rescore):
    """A re-score's differences in words: per test and category, old and new score and band."""
    labels = dict(TestTypeChoices.choices)
    tests = [
        {
            "label": labels[change.test_type],
            "old_points": change.old_points,
            "new_points": change.new_points,
            "old_band": band_label(change.old_band) if change.old_band else "",
            "new_band": band_label(change.new_band) if change.new_band else "",
            "new_flags": [flag_label(code) for code in change.new_flags if code not in change.old_flags],
            "override": change.override,
            "changed": change.changed,
        }
        for change in rescore.tests
    ]
    categories = [
        {"label": CATEGORY_LABELS[name], "old": old, "new": new, "changed": old != new}
        for name, old, new in rescore.categories
    ]
    return tests, categories


class AssessmentRescoreView(AssessmentDetailView):
    """GET: what re-scoring with the current norms would change, test by test. POST (the confirmation): apply it.

    The POST names the version the differences were shown against and the version to apply, so that a re-score
    that happened in between (or a new version deployed in between) is refused instead of applied unseen.
    """

    template_name = "assessments/rescore.html"

    def get_assessment(self):
        return self.get_scoped_object(permission=lambda actor, assessment: can_edit_client(actor, assessment.client))

    def get_context_data(self, **kwargs):
        assessment = kwargs.get("assessment") or self.get_assessment()
        context = {"assessment": assessment, "client": assessment.client, "current_version": SCORING_VERSION}
        if assessment.scoring_version == SCORING_VERSION:
            context["up_to_date"] = True
            return {**super(AssessmentDetailView, self).get_context_data(**kwargs), **context}
        try:
            rescore = services.assessment_rescore_preview(assessment)
        except ApplicationError as error:
            complaints = [message for messages in error.field_errors.values() for message in messages]
            context["error"] = " ".join(dict.fromkeys(complaints))
        else:
            tests, categories = _changes_for_page(rescore)
            context.update(rescore=rescore, tests=tests, categories=categories)
        return {**super(AssessmentDetailView, self).get_context_data(**kwargs), **context}

    def post(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        old_version = assessment.scoring_version
        try:
            services.assessment_rescore(
                actor=self.actor,
                assessment=assessment,
                from_version=request.POST.get("from_version", ""),
                to_version=request.POST.get("to_version", ""),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("assessment_rescore", pk=assessment.pk)
        # The assessment's page says what happened and offers the way back (see AssessmentDetailView).
        return redirect(f"{reverse('assessment_detail', args=[assessment.pk])}?rescored_from={old_version}")
