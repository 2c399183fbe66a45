"""Packages, payments and sessions through the API: the same services and credit rules as the pages; conflicts are
409; lists cost the same number of queries with 3 or 30 rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.training.models import Payment, Session, SessionPackage
from tests.api.test_limits_and_queries import count_queries
from tests.factories import ClientFactory, PaymentFactory, SessionFactory, SessionPackageFactory
from tests.support import in_gym


@pytest.fixture
def client_of_trainer(gym_a, people):
    return in_gym(gym_a, ClientFactory, trainer=people["trainer"], first_name="Minji")


def at(days, hour=10):
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def test_sell_pay_refund(gym_a, people, client_of_trainer, api_as):
    api = api_as(people["trainer"])
    sold = api.post("packages/", {"client": client_of_trainer.pk, "name": "Ten", "total_sessions": 10, "price": "500"})
    assert sold.status_code == 201, sold.json()
    package = sold.json()
    assert package["gross_amount"] == "500.000" and package["balance_due"] == "500.000" and package["currency"]
    paid = api.post(f"packages/{package['id']}/payments/", {"amount": "200", "method": "cash"})
    assert paid.status_code == 201 and paid.json()["amount"] == "200.000" and paid.json()["is_refund"] is False
    assert api.get(f"packages/{package['id']}/").json()["balance_due"] == "300.000"
    too_much = api.post(f"packages/{package['id']}/payments/", {"amount": "301"})
    assert too_much.status_code == 400 and set(too_much.json()["fields"]) == {"amount"}
    refund = api.post(f"packages/{package['id']}/refunds/", {"amount": "50"})
    assert refund.status_code == 201 and refund.json()["amount"] == "-50.000"
    assert in_gym(gym_a, Payment.objects.filter(package_id=package["id"]).count) == 2


def test_a_sale_names_every_bad_term_at_once(gym_a, people, client_of_trainer, api_as):
    api = api_as(people["trainer"])
    terms = {
        "client": client_of_trainer.pk,
        "name": "Ten",
        "price": "-5",
        "vat_rate": "1.5",
        "expires_on": "2000-01-01",
    }
    refused = api.post("packages/", {**terms, "total_sessions": 10})
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "price": ["The amount cannot be below zero."],
        "vat_rate": ["A rate must be below 100%."],
        "expires_on": ["The expiry date cannot be before the day of sale."],
    }
    # The serializer refuses the sessions itself; the service still names the other terms.
    refused = api.post("packages/", {**terms, "total_sessions": 0})
    assert set(refused.json()["fields"]) == {"total_sessions", "price", "vat_rate", "expires_on"}
    assert in_gym(gym_a, SessionPackage.objects.count) == 0


def test_a_trainer_cannot_sell_to_another_trainers_client(gym_a, people, api_as):
    theirs = in_gym(gym_a, ClientFactory, trainer=people["other"])
    response = api_as(people["trainer"]).post(
        "packages/", {"client": theirs.pk, "name": "X", "total_sessions": 1, "price": "1"}
    )
    assert response.status_code == 400 and response.json()["fields"] == {"client": [response.json()["message"]]}
    assert in_gym(gym_a, SessionPackage.objects.filter(client=theirs).count) == 0


def test_booking_conflicts_are_409(gym_a, people, client_of_trainer, api_as):
    api = api_as(people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, client=client_of_trainer, total_sessions=1)
    booking = {"client": client_of_trainer.pk, "starts_at": at(3), "package": package.pk, "confirm_unavailable": True}
    first = api.post("sessions/", booking)
    assert first.status_code == 201, first.json()
    clash = api.post("sessions/", {**booking, "package": None})
    assert clash.status_code == 409 and clash.json()["code"] == "conflict"
    no_credit = api.post("sessions/", {**booking, "starts_at": at(4)})
    assert no_credit.status_code == 409 and "package" in no_credit.json()["fields"]
    outside = api.post("sessions/", {"client": client_of_trainer.pk, "starts_at": at(5), "confirm_unavailable": False})
    assert outside.status_code == 409 and "confirm_unavailable" in outside.json()["fields"]
    assert in_gym(gym_a, Session.objects.filter(client=client_of_trainer).count) == 1


def test_complete_cancel_no_show_with_etag(gym_a, people, client_of_trainer, api_as):
    api = api_as(people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, client=client_of_trainer, total_sessions=5)
    started = in_gym(
        gym_a,
        SessionFactory,
        client=client_of_trainer,
        trainer=people["trainer"],
        package=package,
        starts_at=timezone.now() - timedelta(hours=2),
    )
    etag = api.get(f"sessions/{started.pk}/")["ETag"]
    done = api.post(f"sessions/{started.pk}/complete/", headers={"If-Match": etag})
    assert done.status_code == 200 and done.json()["status"] == "completed" and done.json()["used_credit"] is True
    again = api.post(f"sessions/{started.pk}/cancel/", headers={"If-Match": etag})
    assert again.status_code == 412
    closed = api.post(f"sessions/{started.pk}/no-show/")
    assert closed.status_code == 409 and closed.json()["code"] == "conflict"
    assert in_gym(gym_a, SessionPackage.objects.get, pk=package.pk).used_sessions == 1


def test_a_trainer_cancels_through_the_api_without_using_a_credit(gym_a, people, client_of_trainer, api_as):
    api = api_as(people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, client=client_of_trainer, total_sessions=5)
    soon = in_gym(
        gym_a,
        SessionFactory,
        client=client_of_trainer,
        trainer=people["trainer"],
        package=package,
        starts_at=timezone.now() + timedelta(hours=1),
    )
    refused = api.post(f"sessions/{soon.pk}/cancel/", {"by": "gym"})
    assert refused.status_code == 400 and "by" in refused.json()["fields"]
    done = api.post(f"sessions/{soon.pk}/cancel/", {"by": "trainer"})
    assert done.status_code == 200 and done.json()["cancellation"] == "trainer" and done.json()["used_credit"] is False
    assert in_gym(gym_a, SessionPackage.objects.get, pk=package.pk).used_sessions == 0


def test_assistants_book_for_their_trainer_but_see_no_package(gym_a, people, client_of_trainer, api_as):
    from apps.trainers.models import AssistantLink

    in_gym(gym_a, AssistantLink.objects.create, assistant=people["assistant"], trainer=people["trainer"])
    api = api_as(people["assistant"])
    booked = api.post("sessions/", {"client": client_of_trainer.pk, "starts_at": at(6), "confirm_unavailable": True})
    assert booked.status_code == 201 and booked.json()["trainer"]["id"] == people["trainer"].pk
    assert api.get("packages/").status_code == 404


@pytest.mark.parametrize(
    ("path", "make"), [("packages/", "package"), ("payments/", "payment"), ("sessions/", "session")]
)
def test_lists_cost_the_same_with_3_and_30_rows(gym_a, people, api_as, path, make):
    def add(count):
        for _ in range(count):
            client = in_gym(gym_a, ClientFactory, trainer=people["trainer"])
            package = in_gym(gym_a, SessionPackageFactory, client=client)
            if make == "payment":
                in_gym(gym_a, PaymentFactory, package=package, amount=Decimal("10"))
            if make == "session":
                in_gym(gym_a, SessionFactory, client=client, trainer=people["trainer"], package=package)

    api = api_as(people["owner"])
    add(3)
    few = count_queries(api, path)
    add(27)
    assert count_queries(api, path) == few
    assert len(api.get(path).json()["results"]) == 25


def test_packages_and_sessions_show_booked_used_and_left_to_book(gym_a, people, client_of_trainer, api_as):
    api = api_as(people["trainer"])
    package = in_gym(gym_a, SessionPackageFactory, client=client_of_trainer, total_sessions=2)
    booking = {"client": client_of_trainer.pk, "starts_at": at(3), "package": package.pk, "confirm_unavailable": True}
    first = api.post("sessions/", booking)
    assert first.status_code == 201 and first.json()["holds_credit"] is True
    assert api.post("sessions/", {**booking, "starts_at": at(4)}).status_code == 201
    body = api.get(f"packages/{package.pk}/").json()
    assert (body["booked_sessions"], body["used_sessions"], body["remaining_sessions"], body["left_to_book"]) == (
        2,
        0,
        2,
        0,
    )
    full = api.post("sessions/", {**booking, "starts_at": at(5)})
    assert full.status_code == 409 and full.json()["code"] == "conflict"
    assert full.json()["fields"] == {
        "package": ["All 2 sessions left on this package are already booked (0 of 2 used)."]
    }
    cancelled = api.post(f"sessions/{first.json()['id']}/cancel/", {})
    assert cancelled.status_code == 200 and cancelled.json()["holds_credit"] is False
    assert api.get(f"packages/{package.pk}/").json()["left_to_book"] == 1


# --- expiry (issue 15) --------------------------------------------------------------------------------------------


def test_packages_say_when_they_expire_and_filter_by_it(gym_a, people, client_of_trainer, api_as):
    from apps.core.dates import gym_today

    today = in_gym(gym_a, gym_today)

    def package(days, **kwargs):
        expires = None if days is None else today + timedelta(days=days)
        return in_gym(gym_a, SessionPackageFactory, client=client_of_trainer, expires_on=expires, **kwargs)

    soon, later, far, _open, past = package(3), package(10), package(40), package(None), package(-1)
    package(2, status="cancelled")
    api = api_as(people["trainer"])

    one = api.get(f"packages/{soon.pk}/").json()
    assert (one["days_until_expiry"], one["extended_days"], one["extended_at"]) == (3, 0, None)
    assert api.get(f"packages/{past.pk}/").json()["days_until_expiry"] == -1
    assert api.get(f"packages/{_open.pk}/").json()["days_until_expiry"] is None

    listed = api.get("packages/?expiring_within=14&ordering=expires_on").json()["results"]
    assert [(row["id"], row["days_until_expiry"]) for row in listed] == [(soon.pk, 3), (later.pk, 10)]
    assert [row["id"] for row in api.get("packages/?expiring_within=0").json()["results"]] == []
    assert far.pk in [row["id"] for row in api.get("packages/?expiring_within=40").json()["results"]]
    for bad in ("-1", "367", "soon", "1.5"):
        refused = api.get(f"packages/?expiring_within={bad}")
        assert refused.status_code == 400 and set(refused.json()["fields"]) == {"expiring_within"}, bad


def test_the_expiring_list_costs_the_same_with_3_and_30_rows(gym_a, people, client_of_trainer, api_as):
    from apps.core.dates import gym_today

    today = in_gym(gym_a, gym_today)
    api = api_as(people["trainer"])
    counts = []
    for count in (3, 27):
        for n in range(count):
            in_gym(gym_a, SessionPackageFactory, client=client_of_trainer, expires_on=today + timedelta(days=n % 14))
        counts.append(count_queries(api, "packages/?expiring_within=14"))
    assert counts[0] == counts[1]
