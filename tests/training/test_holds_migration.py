"""The migration ``hold_booked_credits`` (``apps.training.holds_backfill``) on rows as they were before holds, and
``report_overbooked_packages``."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from apps.training.holds_backfill import hold_booked_credits, unheld_bookings
from apps.training.models import Session, SessionPackage
from tests.factories import ClientFactory, SessionFactory, SessionPackageFactory


def test_holds_the_earliest_bookings_up_to_the_free_credits_and_reports_the_rest(in_gym_a):
    now = timezone.now()
    client = ClientFactory(first_name="Minji")
    roomy = SessionPackageFactory(client=client, name="Roomy", total_sessions=10, used_sessions=3)
    full = SessionPackageFactory(client=client, name="Full", total_sessions=3, used_sessions=1)
    used_up = SessionPackageFactory(client=client, name="Used up", total_sessions=2, used_sessions=2, status="used_up")
    untouched = SessionPackageFactory(client=client, name="Nothing booked", total_sessions=5, used_sessions=5)

    def booked(package, days, **kwargs):
        return SessionFactory(client=client, package=package, starts_at=now + timedelta(days=days), **kwargs)

    roomy_sessions = [booked(roomy, days) for days in (1, 2)]
    booked(roomy, -3, status="completed", used_credit=True)
    booked(roomy, 4, status="cancelled")
    # Four bookings on a package with two credits free: the two earliest (by start, not by id) hold them.
    full_late = booked(full, 9)
    full_first = booked(full, 1)
    full_second = booked(full, 3)
    full_last = booked(full, 12)
    stray = booked(used_up, 2)
    without_package = SessionFactory(client=client, starts_at=now + timedelta(days=1))

    outcome = hold_booked_credits(Session, SessionPackage)

    held = set(Session.objects.filter(holds_credit=True).values_list("pk", flat=True))
    assert held == {roomy_sessions[0].pk, roomy_sessions[1].pk, full_first.pk, full_second.pk}
    assert dict(SessionPackage.objects.values_list("name", "booked_sessions")) == {
        "Roomy": 2,
        "Full": 2,
        "Used up": 0,
        "Nothing booked": 0,
    }
    assert (outcome.sessions_held, outcome.packages_with_holds, outcome.sessions_unheld) == (4, 2, 3)
    assert [(item.package_id, item.unheld_session_ids) for item in outcome.overbooked] == [
        (full.pk, [full_late.pk, full_last.pk]),
        (used_up.pk, [stray.pk]),
    ]
    assert outcome.lines()[0] == (
        "4 booked session(s) on 2 package(s) now hold a credit; 2 package(s) overbooked, 3 booking(s) left unheld."
    )
    assert outcome.lines()[1] == (
        f"  package #{full.pk} (Full, client #{client.pk}): 3 sessions, 1 used, 4 booked, 2 held; "
        f"unheld sessions #{full_late.pk}, #{full_last.pk}"
    )
    for package in SessionPackage.objects.all():
        assert package.booked_sessions + package.used_sessions <= package.total_sessions
    assert Session.objects.get(pk=full_late.pk).is_unheld_booking
    assert not Session.objects.get(pk=without_package.pk).is_unheld_booking
    assert untouched.pk not in {item.package_id for item in outcome.overbooked}

    # Running it again changes nothing (it starts from no holds).
    again = hold_booked_credits(Session, SessionPackage)
    assert (again.sessions_held, again.sessions_unheld) == (4, 3)
    assert [item.unheld_session_ids for item in unheld_bookings(Session, SessionPackage)] == [
        [full_late.pk, full_last.pk],
        [stray.pk],
    ]

    out = StringIO()
    call_command("report_overbooked_packages", "--gym", in_gym_a.slug, stdout=out)
    assert out.getvalue().splitlines()[:2] == [
        f"{in_gym_a.slug}: 2 overbooked package(s)",
        f"  package #{full.pk} “Full” (client #{client.pk}): 3 sessions, 1 used, 4 booked, 2 holding a credit; "
        f"unheld sessions: #{full_late.pk}, #{full_last.pk}",
    ]


def test_report_says_so_when_nothing_is_overbooked(in_gym_a):
    out = StringIO()
    call_command("report_overbooked_packages", "--gym", in_gym_a.slug, stdout=out)
    assert out.getvalue() == "No overbooked package.\n"
