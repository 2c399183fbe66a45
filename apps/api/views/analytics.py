"""Analytics: the figures of the analytics pages (``apps.analytics.selectors``), for the actor's own scope, for one
trainer, and for the whole gym (the owner), over a period given as on the pages (``period``, ``from``, ``to``).

These views are plain ``APIView`` subclasses, not ``ScopedViewSet``: that base lists rows of a selector's queryset and
reads objects of a model through ``get_object_or_404``, while an analytics answer is one computed read model (no
queryset, no model, no pagination; a schema generator would page a viewset's ``list``). They keep the API's defaults
all the same: the authentication classes, ``ActorRequired`` and the read throttle come from the settings, and a
refusal answers 404 as everywhere (``actor_permission`` here, as in ``ScopedViewSet``; a trainer nobody may show
answers 404 through ``analytics_trainer``).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access import can_see_gym_analytics
from apps.analytics.metrics.scope import Scope
from apps.analytics.periods import DEFAULT, PRESETS, PeriodError, period_from_query
from apps.analytics.selectors import TRAINER_SORTS, analytics, analytics_trainer
from apps.analytics.snapshots import gym_figures

from ..schema import ERRORS_LIST, ERRORS_OBJECT
from ..serializers.analytics import AnalyticsSerializer, GymAnalyticsSerializer

SORTS = [value for key in TRAINER_SORTS for value in (key, f"-{key}")]
DEFAULT_SORT = "name"

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "period",
        str,
        enum=list(PRESETS),
        default=DEFAULT,
        description="`week` Monday to today, `month` the 1st to today, `30d` and `90d` the last 30 / 90 days with "
        "today, `quarter` the quarter's first day to today, `ytd` 1 January to today, `12m` the last 365 days, "
        "`custom` from `from` to `to`. Days are the gym's (its timezone). Anything else gives the default.",
    ),
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="With `period=custom`: the first day (YYYY-MM-DD, years 2000 to 2100). Else ignored.",
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="With `period=custom`: the last day, included; at most 1,098 days after `from`. Else ignored.",
    ),
]
SORT_PARAMETER = OpenApiParameter(
    "sort",
    str,
    enum=SORTS,
    default=DEFAULT_SORT,
    description="The order of `trainers` (descending with `-`). Anything else keeps the default order, like "
    "`ordering` on the lists.",
)

PERIOD = {
    "key": "30d",
    "label": "Last 30 days",
    "first": "2026-11-03",
    "last": "2026-12-02",
    "days": 30,
    "bucket": "week",
    "previous_first": "2026-10-04",
    "previous_last": "2026-11-02",
}
FIGURE = {
    "section": "Sessions",
    "key": "delivered",
    "label": "Sessions delivered",
    "value": 42,
    "previous": 38,
    "change": 4,
    "kind": "count",
    "lower_is_better": False,
    "definition": "Completed sessions that started in the period.",
}
EXAMPLE = {
    "period": PERIOD,
    "figures": [
        FIGURE,
        {
            **FIGURE,
            "key": "no_show_rate",
            "label": "No-show rate",
            "value": 0.05,
            "previous": 0.1,
            "change": -0.05,
            "kind": "rate",
            "lower_is_better": True,
            "definition": "Sessions the client did not come to, divided by the sessions booked.",
        },
        {
            **FIGURE,
            "section": "Money",
            "key": "cash",
            "label": "Cash received",
            "value": "1250000",
            "previous": "980000",
            "change": "270000",
            "kind": "money",
            "definition": "Payments received minus refunds, on the day they were received.",
        },
    ],
    "sessions_by_week": [
        {
            "week": "2026-11-02",
            "completed": 9,
            "cancelled_client": 1,
            "cancelled_late": 0,
            "cancelled_trainer": 0,
            "no_show": 1,
            "open": 0,
        }
    ],
    "heatmap": {"hours": [9, 10, 11], "rows": [{"weekday": 0, "values": [0.5, 1.0, None]}]},
    "clients": {
        "active": 18,
        "active_previous": 16,
        "new": 3,
        "new_previous": 2,
        "churned": 1,
        "churned_previous": 0,
        "retention": 0.875,
        "retention_previous": 0.8,
        "growth": [{"start": "2026-11-02", "active": 12, "new": 1, "churned": 0}],
        "at_risk": [
            {
                "id": 42,
                "name": "Minji Kim",
                "trainer": {"id": 7, "name": "Tara Trainer"},
                "last_session": "2026-11-10T18:00:00+09:00",
                "credits_left": 4,
            }
        ],
        "at_risk_count": 1,
    },
    "bands": {"0-39": 2, "40-59": 5, "60-79": 7, "80-100": 1, "none": 3},
    "money": {
        "currency": "KRW",
        "cash": "1250000",
        "cash_previous": "980000",
        "earned": "1100000",
        "earned_previous": "1050000",
        "outstanding": "300000",
        "credits_sold": 30,
        "credits_sold_previous": 20,
        "packages_sold": 3,
        "packages_sold_previous": 2,
        "credits_unused": 44,
        "credits_expiring": 6,
        "by_bucket": [{"start": "2026-11-02", "cash": "550000", "earned": "250000"}],
    },
}
GYM_EXAMPLE = {
    **EXAMPLE,
    "computed_at": "2026-12-03T12:05:00+09:00",
    "trainers": [
        {
            "id": 7,
            "name": "Tara Trainer",
            "is_active": True,
            "delivered": 42,
            "hours_delivered": "42.00",
            "cancellation_rate": 0.08,
            "no_show_rate": 0.05,
            "utilisation": 0.7,
            "active_clients": 18,
            "reassessed": 4,
            "score_change": 3.5,
            "cash": "1250000",
            "earned": "1100000",
        }
    ],
    "revenue_by_trainer": [{"start": "2026-11-02", "trainer_id": 7, "amount": "550000"}],
}
WITHOUT_MONEY = {
    **EXAMPLE,
    "figures": [figure for figure in EXAMPLE["figures"] if figure["kind"] != "money"],
    "money": None,
}


class AnalyticsView(APIView):
    """One analytics answer for a period read from the query. Only GET (and HEAD); anything else answers 405."""

    #: ``(actor) -> bool``: who may use the endpoint at all; a refusal answers 404 to every method.
    actor_permission = None
    http_method_names = ["get", "head", "options"]

    def check_permissions(self, request):
        super().check_permissions(request)
        predicate = type(self).actor_permission
        if predicate is not None and not predicate(request.actor):
            raise Http404

    def period(self):
        try:
            return period_from_query(self.request.query_params)
        except PeriodError as error:
            raise ValidationError({field: [message] for field, message in error.errors.items()}) from None

    def answer(self, serializer_class, result, built_at=None):
        context = {"money": result.money is not None, "built_at": built_at}
        return Response(serializer_class(result, context=context).data)


class MyAnalyticsView(AnalyticsView):
    @extend_schema(
        operation_id="analytics_mine",
        summary="Your analytics",
        description="Everything the caller's figures cover: the owner the whole gym, seniors and trainers their own "
        "clients and sessions, assistants the trainers they assist. Money only for those who coach (assistants get "
        "`money: null` and no money figure).",
        parameters=PERIOD_PARAMETERS,
        responses={200: AnalyticsSerializer, **ERRORS_LIST},
        examples=[
            OpenApiExample("A trainer", value=EXAMPLE, response_only=True),
            OpenApiExample("An assistant", value=WITHOUT_MONEY, response_only=True),
        ],
    )
    def get(self, request):
        period = self.period()
        return self.answer(AnalyticsSerializer, analytics(scope=Scope(request.actor), period=period))


class TrainerAnalyticsView(AnalyticsView):
    @extend_schema(
        operation_id="analytics_trainer",
        summary="A trainer's analytics",
        description="The owner and seniors may read any coaching member's; trainers their own; assistants those of "
        "the trainers they assist. Others 404. Money only where the caller acts for the trainer: seniors read another "
        "trainer without it (`money: null`, no money figure).",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH), *PERIOD_PARAMETERS],
        responses={200: AnalyticsSerializer, **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[
            OpenApiExample("Own", value=EXAMPLE, response_only=True),
            OpenApiExample("Another trainer, for a senior", value=WITHOUT_MONEY, response_only=True),
        ],
    )
    def get(self, request, pk):
        trainer = analytics_trainer(actor=request.actor, pk=pk)
        if trainer is None:
            raise Http404
        period = self.period()
        return self.answer(AnalyticsSerializer, analytics(scope=Scope(request.actor, trainer.pk), period=period))


class GymAnalyticsView(AnalyticsView):
    actor_permission = staticmethod(can_see_gym_analytics)

    @extend_schema(
        operation_id="analytics_gym",
        summary="The gym's analytics (owner)",
        description="Every figure for the whole gym, one row per coaching member (`sort`), and cash per week or month "
        "by trainer. Others 404.",
        parameters=[*PERIOD_PARAMETERS, SORT_PARAMETER],
        responses={200: GymAnalyticsSerializer, **ERRORS_LIST, 404: ERRORS_OBJECT[404]},
        examples=[OpenApiExample("The gym", value=GYM_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        period = self.period()
        sort = request.query_params.get("sort")
        sort = sort if sort in SORTS else DEFAULT_SORT
        result, built_at = gym_figures(actor=request.actor, period=period, sort=sort)
        return self.answer(GymAnalyticsSerializer, result, built_at)
