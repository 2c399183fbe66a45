"""Credits held by the sessions booked before holds existed (the migration ``hold_booked_credits``).

Kept out of the migration file so that tests can run it on real rows and ``report_overbooked_packages`` can describe
its outcome. It takes the model classes, so the migration passes its historical ones.

Rule: per package, its scheduled sessions in time order (then by id) hold a credit while the package has one free
(``total - used``); the ones past that stay booked but hold nothing (``holds_credit=False``): "unheld bookings",
reported, never cancelled or moved, because only the gym knows which one should go. Afterwards ``booked + used <=
total`` holds for every package, so the check constraint can be added in the next migration.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Overbooked:
    """A package with more bookings than free credits: the figures and the sessions left unheld."""

    package_id: int
    name: str
    client_id: int
    total: int
    used: int
    scheduled: int
    unheld_session_ids: list[int] = field(default_factory=list)

    @property
    def held(self) -> int:
        return self.scheduled - len(self.unheld_session_ids)


@dataclass
class HoldsOutcome:
    sessions_held: int = 0
    packages_with_holds: int = 0
    overbooked: list[Overbooked] = field(default_factory=list)

    @property
    def sessions_unheld(self) -> int:
        return sum(len(item.unheld_session_ids) for item in self.overbooked)

    def lines(self) -> list[str]:
        """The figures, for the migration's output."""
        found = [
            f"{self.sessions_held} booked session(s) on {self.packages_with_holds} package(s) now hold a credit; "
            f"{len(self.overbooked)} package(s) overbooked, {self.sessions_unheld} booking(s) left unheld."
        ]
        for item in self.overbooked:
            found.append(
                f"  package #{item.package_id} ({item.name}, client #{item.client_id}): {item.total} sessions, "
                f"{item.used} used, {item.scheduled} booked, {item.held} held; unheld sessions "
                + ", ".join(f"#{pk}" for pk in item.unheld_session_ids)
            )
        return found


def hold_booked_credits(session_model: Any, package_model: Any) -> HoldsOutcome:
    """Recompute every hold from the scheduled sessions (idempotent: it starts from no holds at all)."""
    session_model.objects.filter(holds_credit=True).update(holds_credit=False)
    package_model.objects.exclude(booked_sessions=0).update(booked_sessions=0)
    booked: dict[int, list[int]] = defaultdict(list)
    rows = (
        session_model.objects.filter(status="scheduled", package__isnull=False)
        .order_by("package_id", "starts_at", "pk")
        .values_list("package_id", "pk")
    )
    for package_id, pk in rows:
        booked[package_id].append(pk)
    outcome = HoldsOutcome()
    held_ids: list[int] = []
    packages = package_model.objects.filter(pk__in=list(booked)).order_by("pk")
    changed = []
    for package in packages.only("pk", "name", "client", "total_sessions", "used_sessions", "booked_sessions"):
        sessions = booked[package.pk]
        free = max(package.total_sessions - package.used_sessions, 0)
        holding = sessions[:free]
        if holding:
            package.booked_sessions = len(holding)
            changed.append(package)
            held_ids.extend(holding)
        if len(sessions) > free:
            outcome.overbooked.append(
                Overbooked(
                    package_id=package.pk,
                    name=package.name,
                    client_id=package.client_id,
                    total=package.total_sessions,
                    used=package.used_sessions,
                    scheduled=len(sessions),
                    unheld_session_ids=sessions[free:],
                )
            )
    package_model.objects.bulk_update(changed, ["booked_sessions"], batch_size=500)
    for start in range(0, len(held_ids), 1000):
        session_model.objects.filter(pk__in=held_ids[start : start + 1000]).update(holds_credit=True)
    outcome.sessions_held = len(held_ids)
    outcome.packages_with_holds = len(changed)
    return outcome


def unheld_bookings(session_model: Any, package_model: Any) -> list[Overbooked]:
    """The packages that still have unheld bookings now (two queries), for ``report_overbooked_packages``."""
    unheld: dict[int, list[int]] = defaultdict(list)
    scheduled: dict[int, int] = defaultdict(int)
    rows = (
        session_model.objects.filter(status="scheduled", package__isnull=False)
        .filter(package__in=session_model.objects.filter(status="scheduled", holds_credit=False).values("package"))
        .order_by("package_id", "starts_at", "pk")
        .values_list("package_id", "pk", "holds_credit")
    )
    for package_id, pk, holds in rows:
        scheduled[package_id] += 1
        if not holds:
            unheld[package_id].append(pk)
    packages = package_model.objects.filter(pk__in=list(unheld)).order_by("pk")
    return [
        Overbooked(
            package_id=package.pk,
            name=package.name,
            client_id=package.client_id,
            total=package.total_sessions,
            used=package.used_sessions,
            scheduled=scheduled[package.pk],
            unheld_session_ids=unheld[package.pk],
        )
        for package in packages.only("pk", "name", "client", "total_sessions", "used_sessions")
    ]
