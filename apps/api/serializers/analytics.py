"""Analytics, read-only: the figures of ``apps.analytics.selectors`` as they are, in the API's conventions.

Counts are integers, rates fractions (0..1, a float, or null when there is nothing to divide by), score changes
points (a float or null), hours and money decimal strings (money in the gym's currency, rounded to its minor unit).
Money appears only where the actor may see it: ``money`` is null otherwise and ``figures`` has no money figure.
"""

from decimal import ROUND_HALF_UP, Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.analytics.metrics.money import money
from apps.analytics.metrics.progress import SCORES
from apps.analytics.metrics.sessions import (
    CANCELLED_CLIENT,
    CANCELLED_LATE,
    CANCELLED_TRAINER,
    COMPLETED,
    NO_SHOW,
    OPEN,
)
from apps.analytics.periods import PRESETS
from apps.assessments.selectors import NOT_ASSESSED, SCORE_BANDS
from apps.core.money import current_currency

from .common import TrainerRefSerializer

HOURS = Decimal("0.01")
#: Hours and money as decimal strings: no fixed number of places for money (the currency's minor unit decides).
MONEY = {"max_digits": None, "decimal_places": None, "read_only": True}
HOURS_FIELD = {"max_digits": 14, "decimal_places": 2, "rounding": ROUND_HALF_UP, "read_only": True}
RATE = {"read_only": True, "allow_null": True, "help_text": "A fraction (0.25 is 25 %); null without a denominator."}
FIGURE_KINDS = ["count", "hours", "rate", "money", "score"]


def figure_number(value, kind):
    """A figure's value in the API's types: int for counts, float for rates and scores, decimal strings for hours
    and money, null for "nothing to measure"."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if kind == "hours":
            value = value.quantize(HOURS, rounding=ROUND_HALF_UP)
        return f"{value:f}"
    return value


@extend_schema_field(
    {
        "anyOf": [{"type": "number"}, {"type": "string", "format": "decimal"}],
        "nullable": True,
        "description": "A number for counts (integer), rates (fraction) and scores (points); a decimal string for "
        "hours and money; null when there is nothing to measure.",
    }
)
class FigureNumberField(serializers.Field):
    """One of a figure's numbers, already typed by :func:`figure_number` (its kind decides the type)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value


class CurrencyField(serializers.CharField):
    """The gym's currency (ISO 4217), which every amount beside it is in."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return current_currency() or ""


class AnalyticsPeriodSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=list(PRESETS), read_only=True)
    label = serializers.CharField(read_only=True)
    first = serializers.DateField(read_only=True, help_text="The first day (the gym's calendar).")
    last = serializers.DateField(read_only=True, help_text="The last day, included.")
    days = serializers.IntegerField(read_only=True)
    bucket = serializers.ChoiceField(
        choices=["week", "month"],
        read_only=True,
        help_text="How the time series (client growth, money) are split: by week up to 92 days, else by month.",
    )
    previous_first = serializers.DateField(source="previous.first", read_only=True)
    previous_last = serializers.DateField(
        source="previous.last",
        read_only=True,
        help_text="Every figure is compared with the same number of days just before the period.",
    )


class AnalyticsFigureSerializer(serializers.Serializer):
    section = serializers.CharField(read_only=True, help_text="The heading the figure is shown under.")
    key = serializers.CharField(read_only=True, help_text="Stable, for programs (unique in the list).")
    label = serializers.CharField(read_only=True, help_text="For people, in the language of Accept-Language.")
    value = FigureNumberField()
    previous = FigureNumberField(help_text="The same figure over the previous period (null: not compared).")
    change = FigureNumberField(help_text="value − previous, in the figure's unit; null if either is null.")
    kind = serializers.ChoiceField(choices=FIGURE_KINDS, read_only=True)
    lower_is_better = serializers.BooleanField(read_only=True, help_text="A fall is good news (cancellations…).")
    definition = serializers.CharField(read_only=True)

    def to_representation(self, instance):
        section, key, figure = instance
        return {
            "section": section,
            "key": key,
            "label": figure.label,
            "value": figure_number(figure.value, figure.kind),
            "previous": figure_number(figure.previous, figure.kind),
            "change": figure_number(figure.change, figure.kind),
            "kind": figure.kind,
            "lower_is_better": figure.lower_is_better,
            "definition": figure.definition,
        }


def figure_items(analytics):
    """``(section, key, figure)`` for every headline figure, in the pages' order. The progress section repeats the
    key ``score_change`` once per score (overall first, in ``SCORES`` order); here the overall one keeps the key and
    the others get ``score_change_<score>``, so that every key is unique."""
    scores = iter(SCORES)
    items = []
    for section, figures in analytics.figure_groups():
        for figure in figures:
            key = figure.key
            if key == "score_change":
                score = next(scores)
                key = key if score == "overall" else f"{key}_{score}"
            items.append((section, key, figure))
    return items


class AnalyticsWeekSerializer(serializers.Serializer):
    week = serializers.DateField(read_only=True, help_text="The Monday that starts the week.")
    completed = serializers.IntegerField(read_only=True)
    cancelled_client = serializers.IntegerField(read_only=True, help_text="Cancelled by the client in time.")
    cancelled_late = serializers.IntegerField(read_only=True, help_text="Cancelled by the client inside the cut-off.")
    cancelled_trainer = serializers.IntegerField(read_only=True)
    no_show = serializers.IntegerField(read_only=True)
    open = serializers.IntegerField(read_only=True, help_text="Still scheduled.")

    def to_representation(self, instance):
        week, tally = instance
        counts = tally.counts
        return {
            "week": week.isoformat(),
            **{
                outcome: counts[outcome]
                for outcome in (COMPLETED, CANCELLED_CLIENT, CANCELLED_LATE, CANCELLED_TRAINER, NO_SHOW, OPEN)
            },
        }


class AnalyticsHeatmapRowSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(read_only=True, min_value=0, max_value=6, help_text="0 is Monday.")
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        read_only=True,
        help_text="Utilisation per hour of `hours` (a fraction, may pass 1); null where nobody is available.",
    )


class AnalyticsHeatmapSerializer(serializers.Serializer):
    hours = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Wall-clock hours of the gym (0..23)."
    )
    rows = AnalyticsHeatmapRowSerializer(many=True, read_only=True, help_text="Monday to Sunday.")

    def to_representation(self, heatmap):
        rows = [{"weekday": weekday, "values": values} for weekday, values in enumerate(heatmap.values)]
        return {"hours": list(heatmap.hours), "rows": AnalyticsHeatmapRowSerializer(rows, many=True).data}


class AnalyticsGrowthSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True, help_text="The first day of the week (Monday) or month.")
    active = serializers.IntegerField(read_only=True)
    new = serializers.IntegerField(read_only=True)
    churned = serializers.IntegerField(read_only=True)

    def to_representation(self, instance):
        start, active, new, churned = instance
        return {"start": start.isoformat(), "active": active, "new": new, "churned": churned}


class AnalyticsAtRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="client.pk", read_only=True)
    name = serializers.CharField(source="client.__str__", read_only=True)
    trainer = TrainerRefSerializer(source="client.trainer", read_only=True)
    last_session = serializers.DateTimeField(read_only=True, allow_null=True)
    credits_left = serializers.IntegerField(read_only=True)


class AnalyticsClientsSerializer(serializers.Serializer):
    active = serializers.IntegerField(read_only=True)
    active_previous = serializers.IntegerField(read_only=True)
    new = serializers.IntegerField(read_only=True)
    new_previous = serializers.IntegerField(read_only=True)
    churned = serializers.IntegerField(read_only=True)
    churned_previous = serializers.IntegerField(read_only=True)
    retention = serializers.FloatField(**RATE)
    retention_previous = serializers.FloatField(**RATE)
    growth = AnalyticsGrowthSerializer(many=True, read_only=True, help_text="Per week or month (`period.bucket`).")
    at_risk = AnalyticsAtRiskSerializer(
        many=True,
        read_only=True,
        help_text="Today, whatever the period: active clients with credits left, no session in 14 days and none "
        "booked; longest quiet first, at most 50.",
    )
    at_risk_count = serializers.IntegerField(read_only=True, help_text="All of them, also beyond the 50 listed.")


class AnalyticsBandsSerializer(serializers.Serializer):
    """Today's active clients by the band of their latest overall score; `none`: never assessed."""

    def get_fields(self):
        return {key: serializers.IntegerField(read_only=True) for key in [*SCORE_BANDS, NOT_ASSESSED]}


class AnalyticsMoneyBucketSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    cash = serializers.DecimalField(**MONEY)
    earned = serializers.DecimalField(**MONEY)

    def to_representation(self, instance):
        start, cash, earned = instance
        return super().to_representation({"start": start, "cash": cash, "earned": earned})


class AnalyticsMoneySerializer(serializers.Serializer):
    currency = CurrencyField(help_text="ISO 4217, for every amount here.")
    cash = serializers.DecimalField(**MONEY)
    cash_previous = serializers.DecimalField(**MONEY)
    earned = serializers.DecimalField(**MONEY)
    earned_previous = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)
    credits_sold = serializers.IntegerField(read_only=True)
    credits_sold_previous = serializers.IntegerField(read_only=True)
    packages_sold = serializers.IntegerField(read_only=True)
    packages_sold_previous = serializers.IntegerField(read_only=True)
    credits_unused = serializers.IntegerField(read_only=True)
    credits_expiring = serializers.IntegerField(read_only=True)
    by_bucket = AnalyticsMoneyBucketSerializer(
        many=True, read_only=True, help_text="Cash and earned per week or month (`period.bucket`)."
    )


class AnalyticsSerializer(serializers.Serializer):
    period = AnalyticsPeriodSerializer(read_only=True)
    figures = serializers.SerializerMethodField(
        help_text="The headline figures with the previous period's, section by section. Money figures only for "
        "those who may see money."
    )
    sessions_by_week = AnalyticsWeekSerializer(
        source="by_week", many=True, read_only=True, help_text="Sessions by outcome, per week of the period."
    )
    heatmap = AnalyticsHeatmapSerializer(read_only=True)
    clients = AnalyticsClientsSerializer(read_only=True)
    bands = AnalyticsBandsSerializer(read_only=True)
    money = AnalyticsMoneySerializer(
        read_only=True,
        allow_null=True,
        help_text="null when the actor may not see these figures' money (assistants; seniors on another trainer).",
    )

    @extend_schema_field(AnalyticsFigureSerializer(many=True))
    def get_figures(self, analytics):
        items = figure_items(analytics)
        if not self._money():  # the selectors leave money out already; never let an amount through regardless
            items = [item for item in items if item[2].kind != "money"]
        return AnalyticsFigureSerializer(items, many=True).data

    def _money(self):
        """Whether the caller may see this answer's money (the view says so in the context; nobody else does)."""
        return bool(self.context.get("money"))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._money():
            data["money"] = None
        return data


class AnalyticsTrainerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="trainer.pk", read_only=True)
    name = serializers.CharField(source="trainer.display_name", read_only=True)
    is_active = serializers.BooleanField(source="trainer.is_active", read_only=True)
    delivered = serializers.IntegerField(source="sessions.delivered", read_only=True)
    hours_delivered = serializers.DecimalField(source="sessions.hours_delivered", **HOURS_FIELD)
    cancellation_rate = serializers.FloatField(source="sessions.cancellation_rate", **RATE)
    no_show_rate = serializers.FloatField(source="sessions.no_show_rate", **RATE)
    utilisation = serializers.FloatField(**RATE)
    active_clients = serializers.IntegerField(read_only=True)
    reassessed = serializers.IntegerField(read_only=True)
    score_change = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Average change of the overall score, in points."
    )
    cash = serializers.DecimalField(**MONEY, allow_null=True)
    earned = serializers.DecimalField(**MONEY, allow_null=True)

    def to_representation(self, row):
        data = super().to_representation(row)
        if not self.context.get("money"):  # without the right to see money: no amount, whatever the row holds
            data["cash"] = data["earned"] = None
        return data


class AnalyticsRevenueSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    trainer_id = serializers.IntegerField(read_only=True, help_text="Who took the payment.")
    amount = serializers.DecimalField(**MONEY)


class GymAnalyticsSerializer(AnalyticsSerializer):
    computed_at = serializers.SerializerMethodField(
        help_text="When the figures were computed: for the 12-month and year-to-date periods a snapshot rebuilt every "
        "few minutes (`ANALYTICS_SNAPSHOT_MINUTES`), else null (computed for this request)."
    )
    trainers = AnalyticsTrainerRowSerializer(many=True, read_only=True, help_text="One row per coaching member.")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_computed_at(self, gym):
        built_at = self.context.get("built_at")
        return serializers.DateTimeField().to_representation(built_at) if built_at else None

    revenue_by_trainer = serializers.SerializerMethodField(
        help_text="Cash per week or month (`period.bucket`) and trainer, oldest first; empty without money."
    )

    @extend_schema_field(AnalyticsRevenueSerializer(many=True))
    def get_revenue_by_trainer(self, gym):
        if not self.context.get("money"):
            return []
        rows = [
            {"start": start, "trainer_id": trainer_id, "amount": money(amount)}
            for start, by_trainer in sorted(gym.revenue_by_trainer.items())
            for trainer_id, amount in sorted(by_trainer.items())
        ]
        return AnalyticsRevenueSerializer(rows, many=True).data
