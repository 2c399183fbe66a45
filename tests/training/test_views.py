from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.training.models import Payment, Session, SessionPackage, SessionStatus
from apps.training.services import packages as package_services
from apps.training.services import payments as payment_services
from apps.training.services import sessions as session_services
from tests.factories import ClientFactory, TrainerFactory

from .support import all_week, at


def sell(actor, client, **kwargs):
    return package_services.package_sell(
        actor=actor, client=client, **{"name": "Ten", "total_sessions": 10, "price": 500, **kwargs}
    )


def test_assistants_get_403_on_every_package_page(gym, client_a, assistant, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    client_a.login_as(assistant)
    for name, args in [("package_list", ()), ("package_sell", ()), ("package_detail", (package.pk,))]:
        assert client_a.get(reverse(name, args=args)).status_code == 403
    for name in ("payment_create", "payment_refund", "package_cancel"):
        assert client_a.post(reverse(name, args=[package.pk]), {"pay-amount": "1"}).status_code == 403
    page = client_a.get(reverse("calendar"))
    assert page.status_code == 200
    assert b"Packages" not in page.content
    assert reverse("session_schedule").encode() not in page.content
    assert client_a.get(reverse("session_schedule")).status_code == 403  # assists nobody: no calendar to book in


def test_another_trainers_package_is_404(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    client_a.login_as(TrainerFactory(role="trainer"))
    assert client_a.get(reverse("package_detail", args=[package.pk])).status_code == 404


def make_packages(coach, count):
    for n in range(count):
        package = sell(coach, ClientFactory(trainer=coach, last_name=f"N{n:02d}"))
        payment_services.payment_record(actor=coach, package=package, amount="100")


@pytest.mark.parametrize("role", ["owner", "trainer"])
def test_package_list_query_count_does_not_grow(gym, client_a, coach, owner, role):
    actor = owner if role == "owner" else coach
    client_a.login_as(actor)
    counts = []
    for count in (3, 27):
        make_packages(coach, count)
        client_a.get(reverse("package_list"))  # warm caches (host, session)
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get(reverse("package_list"))
        assert page.status_code == 200
        counts.append(len(queries))
    assert SessionPackage.objects.count() == 30
    assert counts[0] == counts[1]
    assert page.content.count(b"$400.00") == 25  # balance due of each row on the first page


def test_package_list_owner_filters_by_trainer(gym, client_a, owner, coach, client_of_coach):
    sell(coach, client_of_coach, name="Mine")
    other = TrainerFactory(role="trainer")
    sell(other, ClientFactory(trainer=other), name="Theirs")
    client_a.login_as(owner)
    page = client_a.get(reverse("package_list"), {"trainer": coach.pk})
    assert b"Mine" in page.content and b"Theirs" not in page.content
    client_a.login_as(coach)
    page = client_a.get(reverse("package_list"))
    assert b"Mine" in page.content and b"Theirs" not in page.content


def test_sell_preview_then_sell(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    data = {
        "client": client_of_coach.pk,
        "name": "Five",
        "total_sessions": "5",
        "price": "100",
        "pricing_mode": "exclusive",
        "vat_percent": "10",
        "card_fee_percent": "3",
    }
    page = client_a.post(reverse("package_sell"), {**data, "preview": "1"})
    assert page.status_code == 200
    assert b"$110.00" in page.content and b"$3.30" in page.content
    assert not SessionPackage.objects.exists()
    response = client_a.post(reverse("package_sell"), data)
    package = SessionPackage.objects.get()
    assert response.status_code == 302 and response.url == reverse("package_detail", args=[package.pk])
    assert (package.vat_rate, package.card_fee_rate, package.gross_amount) == (
        Decimal("0.1000"),
        Decimal("0.0300"),
        Decimal("110.00"),
    )


def test_sell_form_shows_refusals_at_the_field(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    data = {"client": client_of_coach.pk, "name": "X", "total_sessions": "0", "price": "10", "vat_percent": "150"}
    page = client_a.post(reverse("package_sell"), {**data, "pricing_mode": "inclusive"})
    assert page.status_code == 400
    # Every field refused at once.
    assert page.context["form"].errors == {
        "total_sessions": ["A package has at least one session."],
        "vat_percent": ["A rate must be below 100%."],
    }
    page = client_a.post(reverse("package_sell"), {**data, "vat_percent": "", "pricing_mode": "inclusive"})
    assert page.context["form"].errors == {"total_sessions": ["A package has at least one session."]}
    assert not SessionPackage.objects.exists()


def test_package_detail_payment_and_refund(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    client_a.login_as(coach)
    response = client_a.post(reverse("payment_create", args=[package.pk]), {"pay-amount": "200", "pay-method": "card"})
    assert response.status_code == 302
    page = client_a.post(
        reverse("payment_refund", args=[package.pk]), {"refund-amount": "300", "refund-method": "card"}
    )
    assert page.status_code == 400
    assert page.context["refund_form"].errors == {"amount": ["A refund cannot be more than was paid ($200.00)."]}
    page = client_a.get(reverse("package_detail", args=[package.pk]))
    assert page.context["package"].balance_due == Decimal("300.00")
    assert b"0 / 10" in page.content
    assert Payment.objects.count() == 1


def test_schedule_asks_for_confirmation_outside_availability(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    when = at(2, 10)
    data = {"client": client_of_coach.pk, "day": when.date().isoformat(), "start": "10:00", "duration_minutes": "60"}
    page = client_a.post(reverse("session_schedule"), data)
    assert page.status_code == 400
    assert page.context["ask_confirmation"] is True
    assert page.context["form"].errors == {
        "confirm_unavailable": ["Tom Trainer is not available at that time. Book anyway?"]
    }
    response = client_a.post(reverse("session_schedule"), {**data, "confirm_unavailable": "on"})
    assert response.status_code == 302
    assert Session.objects.get().starts_at == when


def test_calendar_actions(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    session = session_services.session_schedule(
        actor=coach,
        client=client_of_coach,
        starts_at=timezone.now() - timedelta(hours=1),
        package=package,
        confirm_unavailable=True,
    )
    client_a.login_as(coach)
    page = client_a.get(reverse("calendar"))
    assert reverse("session_complete", args=[session.pk]).encode() in page.content
    assert client_a.post(reverse("session_complete", args=[session.pk])).status_code == 302
    session.refresh_from_db()
    package.refresh_from_db()
    assert (session.status, package.used_sessions) == (SessionStatus.COMPLETED, 1)
    client_a.login_as(TrainerFactory(role="trainer"))
    assert client_a.post(reverse("session_cancel", args=[session.pk])).status_code == 404


def test_the_calendar_records_who_cancelled(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    soon = [
        session_services.session_schedule(
            actor=coach,
            client=client_of_coach,
            starts_at=timezone.now() + timedelta(hours=hours),
            package=package,
            confirm_unavailable=True,
        )  # fmt: skip
        for hours in (1, 3)
    ]
    client_a.login_as(coach)
    page = client_a.get(reverse("calendar"), {"day": soon[0].starts_at.date().isoformat()}).content.decode()
    assert reverse("session_cancel", args=[soon[0].pk]) in page
    confirmation = client_a.get(reverse("session_cancel", args=[soon[0].pk])).content.decode()
    assert "The trainer calls it off (no credit)" in confirmation
    client_a.post(reverse("session_cancel", args=[soon[0].pk]), {"by": "trainer"})
    client_a.post(reverse("session_cancel", args=[soon[1].pk]), {"by": "client"})
    cancelled = {s.pk: (s.cancellation, s.used_credit) for s in Session.objects.filter(pk__in=[s.pk for s in soon])}
    assert cancelled == {soon[0].pk: ("trainer", False), soon[1].pk: ("late", True)}  # inside the 24 h cut-off
    package.refresh_from_db()
    assert package.used_sessions == 1


@pytest.mark.parametrize("view", ["day", "week", "month"])
@pytest.mark.parametrize("role", ["owner", "trainer"])
def test_calendar_query_count_does_not_grow(gym, client_a, owner, coach, view, role):
    all_week(coach)
    client_a.login_as(owner if role == "owner" else coach)
    counts = []
    made = 0
    for count in (3, 30):
        while made < count:
            client = ClientFactory(trainer=coach)
            package = sell(coach, client)
            session_services.session_schedule(
                actor=coach,
                client=client,
                starts_at=at(0, 6) + timedelta(minutes=15 * made),
                package=package,
                duration_minutes=15,
            )
            made += 1
        client_a.get(reverse("calendar"), {"view": view})  # warm caches (host, session)
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get(reverse("calendar"), {"view": view})
        assert page.status_code == 200
        counts.append(len(queries))
    assert shown_sessions(page) == 30
    assert counts[0] == counts[1]


def shown_sessions(page):
    """Sessions on the calendar page: cards of the time grid or of the month, plus the counts of a summary."""
    if "time_grid" in page.context:
        return sum(len(column.sessions) for column in page.context["time_grid"].columns)
    return sum(
        len(cell["sessions"]) + sum(entry["count"] for entry in cell["summary"])
        for week in page.context["weeks"]
        for cell in week
    )


def test_owner_filters_the_calendar_by_trainer(gym, client_a, owner, coach, client_of_coach):
    session_services.session_schedule(actor=coach, client=client_of_coach, starts_at=at(0, 9), confirm_unavailable=True)
    other = TrainerFactory(role="trainer")
    session_services.session_schedule(
        actor=other, client=ClientFactory(trainer=other), starts_at=at(0, 9), confirm_unavailable=True
    )
    client_a.login_as(owner)
    page = client_a.get(reverse("calendar"), {"trainer": coach.pk})
    assert shown_sessions(page) == 1
    page = client_a.get(reverse("calendar"))  # all trainers: counts per trainer and day, no cards
    assert sum(len(c["sessions"]) for w in page.context["weeks"] for c in w) == 0
    summary = [(e["trainer"].pk, e["count"]) for w in page.context["weeks"] for c in w for e in c["summary"]]
    assert sorted(summary) == sorted([(coach.pk, 1), (other.pk, 1)])
    assert f"?trainer={coach.pk}&amp;view=week".encode() in page.content
    client_a.login_as(coach)
    page = client_a.get(reverse("calendar"), {"trainer": other.pk})
    assert shown_sessions(page) == 1
    assert [column.trainer for column in page.context["time_grid"].columns] == [coach] * 7


def test_a_payment_dated_in_the_gyms_clock(gym, client_a, coach, client_of_coach):
    from tenants.models import Organization

    # In the test's transaction only (rolled back); requests resolve the gym afresh from the database.
    Organization.objects.filter(pk=gym.pk).update(timezone="Asia/Seoul")
    package = sell(coach, client_of_coach)
    client_a.login_as(coach)
    response = client_a.post(
        reverse("payment_create", args=[package.pk]),
        {"pay-amount": "50", "pay-method": "cash", "pay-paid_at": "2026-01-02T09:30"},
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.paid_at.isoformat() == "2026-01-02T00:30:00+00:00"
    assert (payment.method, payment.fee_amount) == ("cash", Decimal("0.00"))


def test_expired_packages_are_shown_as_such(gym, client_a, coach, client_of_coach):
    from apps.core.dates import gym_today

    package = sell(coach, client_of_coach)
    SessionPackage.objects.filter(pk=package.pk).update(expires_on=gym_today() - timedelta(days=1))
    client_a.login_as(coach)
    assert b"Expired" in client_a.get(reverse("package_list")).content


@pytest.mark.parametrize("role", ["owner", "trainer"])
def test_payment_list_query_count_does_not_grow_and_shows_revenue(gym, client_a, coach, owner, role):
    client_a.login_as(owner if role == "owner" else coach)
    counts = []
    for count in (3, 27):
        make_packages(coach, count)
        client_a.get(reverse("payment_list"))
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get(reverse("payment_list"))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    [row] = page.context["revenue"]
    assert (row["trainer"], row["amount"]) == ("Tom Trainer", Decimal("3000.00"))


def test_assistants_and_other_trainers_see_no_payments(gym, client_a, coach, client_of_coach, assistant):
    package = sell(coach, client_of_coach)
    payment_services.payment_record(actor=coach, package=package, amount="100")
    client_a.login_as(assistant)
    assert client_a.get(reverse("payment_list")).status_code == 403
    client_a.login_as(TrainerFactory(role="trainer"))
    page = client_a.get(reverse("payment_list"))
    assert list(page.context["payments"]) == [] and page.context["revenue"] == []


def test_impossible_dates_are_refused_at_the_field_not_a_500(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    data = {"client": client_of_coach.pk, "day": "9999-12-31", "start": "23:30", "duration_minutes": "480"}
    page = client_a.post(reverse("session_schedule"), {**data, "confirm_unavailable": "on"})
    assert page.status_code == 400
    assert page.context["form"].errors == {"start": ["A session can be booked at most two years ahead."]}
    page = client_a.post(reverse("session_schedule"), {**data, "day": "0001-01-01", "start": "00:10"})
    assert page.status_code == 400
    package = sell(coach, client_of_coach)
    page = client_a.post(
        reverse("payment_create", args=[package.pk]),
        {"pay-amount": "5", "pay-method": "cash", "pay-paid_at": "0001-01-01T00:00"},
    )
    assert page.status_code == 400
    assert page.context["payment_form"].errors == {"paid_at": ["A payment can be recorded at most ten years back."]}
    assert client_a.get(reverse("calendar"), {"day": "99999-01-01", "trainer": "x", "view": "year"}).status_code == 200
