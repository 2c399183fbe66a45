from abc import ABC, abstractmethod
from datetime import timedelta

from django.core.cache import cache
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.access import (
    acts_for,
    analytics_subject,
    can_see_analytics_of,
    can_see_gym_analytics,
    is_active_member,
    is_owner,
)
from apps.clients.permissions import can_create_client
from apps.core.dates import gym_today
from apps.core.views import TrainerPageView
from apps.training.permissions import can_use_calendar

from .dashboard import dashboard
from .metrics.scope import Scope
from .periods import DEFAULT, PRESETS, PeriodError, period_from_query, preset
from .presentation import page_charts, workbook
from .selectors import TRAINER_SORTS, analytics, analytics_trainer, analytics_trainers
from .setup_checklist import setup_checklist
from .snapshots import gym_figures, refresh_interval
from .tables import Table, analytics_tables, csv_lines, display


class DashboardView(TrainerPageView):
    """The day ahead and the month so far, for the trainers the switcher shows."""

    template_name = "trainers/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = dashboard(actor=self.actor, trainer_id=getattr(self.view_as, "pk", None))
        context["checklist"] = setup_checklist(actor=self.actor, organization=getattr(self.request, "tenant", None))
        context["can_add_client"] = can_create_client(self.actor)
        context["can_book"] = can_use_calendar(self.actor)
        return context


class AnalyticsPageView(TrainerPageView, ABC):
    """A period from the query, the read model for it, and one of: the page, its HTMX body (``HX-Request``), one
    table as CSV (``table`` in the URL) or, on the organization's page, the XLSX of every table."""

    template_name = "analytics/page.html"
    permission = staticmethod(is_active_member)
    export = None  # "csv" or "xlsx"
    url_name = ""  # the page's URL name; its CSV export is f"{url_name}_export"

    @abstractmethod
    def read_model(self, period):
        """The read model (``Analytics`` or ``GymAnalytics``) of ``period`` for this page."""

    def export_name(self):
        return "analytics"

    def url_args(self):
        return []

    def get(self, request, *args, **kwargs):
        errors = {}
        try:
            period = period_from_query(request.GET)
        except PeriodError as error:
            errors, period = error.errors, preset(DEFAULT)
        result = self.read_model(period)
        tables = analytics_tables(result)
        if self.export == "csv":
            return self.csv(tables, period)
        if self.export == "xlsx":
            return self.xlsx(tables, period)
        charts = self.charts(tables, period)
        export_name = f"{self.url_name}_export"
        blocks = {
            table.slug.replace("-", "_"): {
                "table": table,
                "chart": charts.get(table.slug),
                "export_url": f"{reverse(export_name, args=[*self.url_args(), table.slug])}?{period.query()}",
            }
            for table in tables
        }
        context = self.get_context_data(
            result=result,
            period=period,
            errors=errors,
            query=request.GET,
            blocks=blocks,
            at_risk=[(row, acts_for(self.actor, row.client.trainer_id)) for row in result.clients.at_risk],
            figure_groups=[
                (section, [(figure, display(figure.value, figure.kind), _change(figure)) for figure in figures])
                for section, figures in result.figure_groups()
            ],
            presets=[(key, label) for key, label in PRESETS.items()],
            page_url=reverse(self.url_name, args=self.url_args()),
            today=gym_today(),
        )
        template = "analytics/_body.html" if request.headers.get("HX-Request") else self.template_name
        return self.response_class(request=request, template=[template], context=context, status=400 if errors else 200)

    def charts(self, tables: list[Table], period):
        return page_charts(tables, bucket=period.bucket)

    def csv(self, tables: list[Table], period):
        table = next((t for t in tables if t.slug == self.kwargs["table"]), None)
        if table is None:
            raise Http404
        response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
        name = f"{self.export_name()}-{table.slug}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def xlsx(self, tables: list[Table], period):
        content = workbook(tables, title=_("Analytics"))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"{self.export_name()}-{period.first.isoformat()}-{period.last.isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def monthly_reports(trainer, months=3):
    """Links to the PDF of this month and the ones before it, newest first (the reports app serves them)."""
    if trainer is None:
        return []
    month = gym_today().replace(day=1)
    links = []
    for _index in range(months):
        links.append((month, reverse("monthly_report", args=[trainer.pk, month.year, month.month])))
        month = (month - timedelta(days=1)).replace(day=1)
    return links


def _change(figure):
    """(text, "up"/"down"/"same", good) for the change against the previous period, or None."""
    change = figure.change
    if change is None:
        return None
    direction = "up" if change > 0 else "down" if change < 0 else "same"
    good = None if direction == "same" else (direction == "up") != figure.lower_is_better
    if figure.kind == "rate":  # percentage points, not a percentage of a percentage
        text = _("%(points)s pts") % {"points": display(change * 100, "score")}
    elif figure.kind == "score":
        text = display(change, "score")
    else:
        text = ("+" if change > 0 else "") + display(change, figure.kind)
    return {"text": text, "direction": direction, "good": good}


class MyAnalyticsView(AnalyticsPageView):
    """The actor's own analytics: their own, or everything they act for (assistants: their trainers), narrowed by
    the switcher. The owner without a chosen trainer goes to the organization's page."""

    def get(self, request, *args, **kwargs):
        if self.export is None and self.view_as is None and is_owner(self.actor):
            query = request.META.get("QUERY_STRING", "")
            return redirect(reverse("analytics_gym") + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)

    def subject(self):
        if self.view_as is not None and can_see_analytics_of(self.actor, self.view_as):
            return self.view_as
        trainer_id = analytics_subject(self.actor, None)
        return None if trainer_id is None else self.actor

    def read_model(self, period):
        subject = self.subject()
        self.subject_trainer = subject
        return analytics(scope=Scope(self.actor, getattr(subject, "pk", None)), period=period)

    url_name = "analytics"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject_trainer, monthly_reports=monthly_reports(self.subject_trainer), **kwargs
        )


class TrainerAnalyticsView(AnalyticsPageView):
    """One trainer's analytics: their own, any trainer's for the owner (and seniors, without money), those of the
    trainers an assistant assists (without money). Anyone else: 404."""

    def read_model(self, period):
        self.subject_trainer = analytics_trainer(actor=self.actor, pk=self.kwargs["pk"])
        if self.subject_trainer is None:
            raise Http404
        return analytics(scope=Scope(self.actor, self.subject_trainer.pk), period=period)

    def export_name(self):
        return f"analytics-trainer-{self.kwargs['pk']}"

    url_name = "analytics_trainer"

    def url_args(self):
        return [self.kwargs["pk"]]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject_trainer,
            trainer_choices=analytics_trainers(actor=self.actor),
            monthly_reports=monthly_reports(self.subject_trainer),
            **kwargs,
        )


class GymAnalyticsView(AnalyticsPageView):
    """The organization's analytics, for the owner: every metric, trainers compared, cash stacked by trainer."""

    permission = staticmethod(can_see_gym_analytics)

    def read_model(self, period):
        sort = self.request.GET.get("sort", "name")
        self.sort = sort if sort.lstrip("-") in TRAINER_SORTS else "name"
        result, self.built_at = gym_figures(
            actor=self.actor, period=period, sort=self.sort, refresh=self.request.GET.get("refresh") == "1"
        )
        return result

    def charts(self, tables, period):
        """A snapshot's charts are drawn once per language and kept with it (drawing is most of such a page)."""
        if self.built_at is None:
            return super().charts(tables, period)
        key = f"analytics-gym-charts:{period.query()}:{self.built_at.isoformat()}:{get_language()}"
        return cache.get_or_set(
            key,
            lambda: super(GymAnalyticsView, self).charts(tables, period),
            int(2 * refresh_interval().total_seconds()),
        )

    def export_name(self):
        return "analytics-gym"

    url_name = "analytics_gym"

    def get_context_data(self, **kwargs):
        table = kwargs["blocks"]["trainers"]["table"]
        keys = list(TRAINER_SORTS)[: len(table.headers)]
        headers = []
        for header, key in zip(table.headers, keys, strict=True):
            # Names sort A to Z first; figures largest first. A second click reverses.
            first = key if key == "name" else f"-{key}"
            following = key if self.sort == f"-{key}" else f"-{key}" if self.sort == key else first
            current = "ascending" if self.sort == key else "descending" if self.sort == f"-{key}" else None
            headers.append({"label": header, "sort": following, "current": current})
        rows = [
            (row, [display(value, kind) for value, kind in zip(cells[1:], table.kinds[1:], strict=True)])
            for row, cells in zip(kwargs["result"].trainers, table.rows, strict=True)
        ]
        return super().get_context_data(
            gym=True,
            built_at=self.built_at,
            refresh_minutes=int(refresh_interval().total_seconds() // 60),
            trainer_headers=headers,
            trainer_rows=rows,
            sort=self.sort,
            trainer_choices=analytics_trainers(actor=self.actor),
            xlsx_url=f"{reverse('analytics_gym_xlsx')}?{kwargs['period'].query()}",
            **kwargs,
        )
