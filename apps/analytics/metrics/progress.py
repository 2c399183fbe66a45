"""Progress: what the assessments say about a trainer's clients.

Definitions (docs/guide/analytics.md, "Progress"). Assessments count for the trainer who holds the client now, as
on the client's page.

* **reassessed** in a period: a client whose last assessment in the period has an earlier one to compare with:
  their latest assessment before the period or, failing that, their first one in the period;
* **average change**: over the reassessed clients, the mean of (last assessment in the period − that earlier one),
  for the overall score and for each category; a client counts for a score only when both assessments have it;
* **bands**: today's active clients by the overall score of their latest assessment (the client list's bands:
  0-39, 40-59, 60-79, 80-100, not assessed).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from apps.assessments.models import Assessment
from apps.assessments.selectors import NOT_ASSESSED, SCORE_BANDS, latest_overall_score_subquery
from apps.clients.models import Client, ClientStatus
from apps.core.dates import gym_timezone

from ..periods import Period
from .scope import Scope

SCORES = ["overall", "strength", "mobility", "balance", "cardio"]


@dataclass
class ScoreChange:
    """Sums and counts per score, so that trainers' figures add up to the gym's."""

    reassessed: int = 0
    sums: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def average(self, score: str) -> float | None:
        return self.sums[score] / self.counts[score] if self.counts[score] else None

    def add(self, other: "ScoreChange") -> None:
        self.reassessed += other.reassessed
        for score in SCORES:
            self.sums[score] += other.sums[score]
            self.counts[score] += other.counts[score]


def score_changes(scope: Scope, period: Period) -> dict[int, ScoreChange]:
    """Per trainer (the client's), the reassessed clients and their score changes in ``period``. One query: the
    scoped last assessment per client in the period (DISTINCT ON), each joined with its baseline."""
    zone = gym_timezone()
    start, end = period.start(zone), period.end(zone)
    latest = (
        scope.rows(Assessment, trainer_field="client__trainer")
        .filter(performed_at__gte=start, performed_at__lt=end)
        .order_by("client_id", "-performed_at", "-pk")
        .distinct("client_id")
        .annotate(holder_id=F("client__trainer_id"))
        .values("id", "client_id", "holder_id", *[f"{score}_score" for score in SCORES])
    )
    latest_sql, latest_params = latest.query.sql_with_params()
    table = Assessment._meta.db_table
    columns = ", ".join(f"a.{score}_score AS {score}" for score in SCORES)
    changes = ", ".join(
        f"SUM(l.{score}_score - CASE WHEN before.id IS NOT NULL THEN before.{score} ELSE first.{score} END) "
        f"FILTER (WHERE l.{score}_score IS NOT NULL AND "
        f"CASE WHEN before.id IS NOT NULL THEN before.{score} ELSE first.{score} END IS NOT NULL), "
        f"COUNT(*) FILTER (WHERE l.{score}_score IS NOT NULL AND "
        f"CASE WHEN before.id IS NOT NULL THEN before.{score} ELSE first.{score} END IS NOT NULL)"
        for score in SCORES
    )
    # Only identifiers from the model and the compiled scoped queryset go into the text; values are parameters.
    sql = f"""
        SELECT l.holder_id, COUNT(*), {changes}
        FROM ({latest_sql}) AS l
        LEFT JOIN LATERAL (
            SELECT a.id, {columns} FROM "{table}" a
            WHERE a.client_id = l.client_id AND a.performed_at < %s
            ORDER BY a.performed_at DESC, a.id DESC LIMIT 1
        ) AS before ON TRUE
        LEFT JOIN LATERAL (
            SELECT a.id, {columns} FROM "{table}" a
            WHERE a.client_id = l.client_id AND a.performed_at >= %s AND a.performed_at < %s
            ORDER BY a.performed_at, a.id LIMIT 1
        ) AS first ON TRUE
        WHERE COALESCE(before.id, first.id) <> l.id
        GROUP BY l.holder_id
    """  # noqa: S608
    found: dict[int, ScoreChange] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*latest_params, start, start, end])
        for row in cursor.fetchall():
            change = ScoreChange(reassessed=row[1])
            for index, score in enumerate(SCORES):
                change.sums[score] = row[2 + 2 * index] or 0
                change.counts[score] = row[3 + 2 * index] or 0
            found[row[0]] = change
    return found


def band_distribution(scope: Scope) -> dict[str, int]:
    """Active clients (of the trainer who holds them) by the band of their latest overall score. One query."""
    # The latest score once per client (a subquery in the FROM clause), then counted per band: aggregating the
    # annotated queryset directly would repeat the correlated subquery in every band's FILTER.
    latest = (
        scope.rows(Client)
        .filter(status=ClientStatus.ACTIVE)
        .annotate(latest=latest_overall_score_subquery())
        .values("latest")
    )
    inner, params = latest.query.sql_with_params()
    bands = list(SCORE_BANDS.items())
    filters = ", ".join("COUNT(*) FILTER (WHERE t.latest BETWEEN %s AND %s)" for _band in bands)
    sql = f"SELECT {filters}, COUNT(*) FILTER (WHERE t.latest IS NULL) FROM ({inner}) AS t"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for _key, limits in bands for value in limits] + list(params))
        row = cursor.fetchone()
    return dict(zip([key for key, _limits in bands] + [NOT_ASSESSED], row, strict=True))
