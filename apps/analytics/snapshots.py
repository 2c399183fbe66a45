"""The organization's long periods, kept ready: the rollup of the analytics.

The gym's page for 12 months or the year so far reads two years of sessions (the period and the one it is compared
with): about half a second on the bench gym (docs/benchmarks.md). So for those periods (``SNAPSHOT_PERIODS``) the
whole read model (``GymAnalytics``) is kept in the cache (Redis in production, tenant-aware keys), built:

* by the beat job ``refresh_gym_analytics_everywhere`` every ``ANALYTICS_SNAPSHOT_MINUTES`` (5) minutes, per gym;
* on the page when none is there yet or the owner asks for "Refresh now".

The page says how old its figures are ("as of 12:05"); a snapshot older than twice the refresh interval is never
used. It is the same function (``gym_analytics``) on the same rows, so a fresh snapshot equals the live figures
(tests/analytics/test_snapshots.py drives random writes and compares). Shorter periods and every trainer's page are
always computed live.
"""

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from apps.access import COACHING_ROLES, Actor, is_owner
from apps.trainers.models import Trainer

from .periods import Period, preset
from .selectors import TRAINER_SORTS, GymAnalytics, gym_analytics

SNAPSHOT_PERIODS = ("12m", "ytd")
# The beat job rebuilds only the gyms whose owner opened these figures lately: a gym nobody reads costs nothing.
WANTED_KEY = "analytics-gym-wanted"
WANTED_FOR = timedelta(days=7)


def refresh_interval() -> timedelta:
    return timedelta(minutes=getattr(settings, "ANALYTICS_SNAPSHOT_MINUTES", 5))


@dataclass(frozen=True)
class Snapshot:
    built_at: datetime
    result: GymAnalytics


def _key(period: Period) -> str:
    return f"analytics-gym:{period.key}:{period.first.isoformat()}:{period.last.isoformat()}"


def snapshot_build(*, actor: Actor, period: Period) -> Snapshot:
    """Compute the owner's figures for ``period`` now and keep them."""
    snapshot = Snapshot(timezone.now(), gym_analytics(actor=actor, period=period))
    cache.set(_key(period), snapshot, timeout=int(2 * refresh_interval().total_seconds()))
    return snapshot


def _sorted(result: GymAnalytics, sort: str) -> GymAnalytics:
    key = TRAINER_SORTS.get(sort.lstrip("-"), TRAINER_SORTS["name"])
    rows = sorted(result.trainers, key=key, reverse=sort.startswith("-"))
    return dataclasses.replace(result, trainers=rows)


def gym_figures(
    *, actor: Actor | None, period: Period, sort: str = "name", refresh: bool = False
) -> tuple[GymAnalytics, datetime | None]:
    """The organization's figures and the time they were computed (None: live, now). Long periods come from a
    snapshot younger than twice the refresh interval, or are computed and kept; ``refresh`` computes anew."""
    if not is_owner(actor) or actor is None:
        return gym_analytics(actor=actor, period=period, sort=sort), None
    cache.set(WANTED_KEY, True, timeout=int(WANTED_FOR.total_seconds()))
    if period.key not in SNAPSHOT_PERIODS:
        return gym_analytics(actor=actor, period=period, sort=sort), None
    snapshot = None if refresh else cache.get(_key(period))
    if not isinstance(snapshot, Snapshot) or timezone.now() - snapshot.built_at > 2 * refresh_interval():
        snapshot = snapshot_build(actor=actor, period=period)
    return _sorted(snapshot.result, sort), snapshot.built_at


def refresh_gym_snapshots(*, only_wanted: bool = False) -> int:
    """Rebuild every long period's snapshot of the gym whose schema is active, as its first active owner sees it
    (every owner sees the same); with ``only_wanted``, only if an owner opened them in the last ``WANTED_FOR``.
    Returns how many were built."""
    if only_wanted and not cache.get(WANTED_KEY):
        return 0
    team = Trainer.objects.filter(role__in=COACHING_ROLES, is_active=True).select_related("user").order_by("pk")
    owner = next((trainer for trainer in team if is_owner(trainer)), None)
    if owner is None:
        return 0
    for key in SNAPSHOT_PERIODS:
        snapshot_build(actor=owner, period=preset(key))
    return len(SNAPSHOT_PERIODS)
