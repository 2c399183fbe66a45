from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.training import selectors
from apps.training.models import Payment, PaymentMethod
from apps.training.services import packages as package_services
from apps.training.services import payments as services
from tests.factories import ClientFactory, TrainerFactory

D = Decimal


@pytest.fixture
def package(coach, client_of_coach):
    # 500 inclusive at 10% VAT, 2.5% card fee (the gym's defaults)
    return package_services.package_sell(actor=coach, client=client_of_coach, name="Ten", total_sessions=10, price=500)


def balance(actor, package):
    return selectors.package_balance(actor=actor, package=package)


def test_partial_payments_leave_a_balance(coach, package):
    first = services.payment_record(actor=coach, package=package, amount="200", method=PaymentMethod.CARD)
    assert (first.amount, first.fee_amount, first.client_id) == (D("200.00"), D("5.00"), package.client_id)
    assert balance(coach, package) == D("300.00")
    cash = services.payment_record(actor=coach, package=package, amount="300", method=PaymentMethod.CASH)
    assert cash.fee_amount == D("0.00")
    assert balance(coach, package) == D("0.00")
    assert AuditEntry.objects.filter(action="payment.record").count() == 2


def test_more_than_the_balance_is_refused(coach, package):
    services.payment_record(actor=coach, package=package, amount="450")
    with pytest.raises(ApplicationError) as caught:
        services.payment_record(actor=coach, package=package, amount="50.01")
    assert (caught.value.field, caught.value.message) == ("amount", "This is more than the balance due ($50.00).")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": "-5"}, "amount", "The amount cannot be below zero."),
        ({"amount": "1.234"}, "amount", "Use at most 2 decimal places."),
        ({"amount": "x"}, "amount", "Enter the amount as a number, such as 50000 or 49.90."),
        ({"method": "gold"}, "method", "Choose how the client paid."),
        ({"paid_at": "tomorrow"}, "paid_at", "A payment cannot be in the future."),
    ],
)
def test_bad_payments_are_refused_at_their_field(coach, package, kwargs, field, message):
    if kwargs.get("paid_at") == "tomorrow":
        kwargs = {"paid_at": timezone.now() + timedelta(days=1)}
    with pytest.raises(ApplicationError) as caught:
        services.payment_record(**{"actor": coach, "package": package, "amount": "10", **kwargs})
    assert (caught.value.field, caught.value.message) == (field, message)
    assert not Payment.objects.exists()


def test_refunds_are_negative_and_never_more_than_paid(coach, package):
    services.payment_record(actor=coach, package=package, amount="100", method=PaymentMethod.CARD)
    refund = services.payment_refund(actor=coach, package=package, amount="40", method=PaymentMethod.CARD)
    assert (refund.amount, refund.fee_amount, refund.is_refund) == (D("-40.00"), D("-1.00"), True)
    assert balance(coach, package) == D("440.00")
    with pytest.raises(ApplicationError) as caught:
        services.payment_refund(actor=coach, package=package, amount="60.01")
    assert caught.value.message == "A refund cannot be more than was paid ($60.00)."
    services.payment_refund(actor=coach, package=package, amount="60")
    assert balance(coach, package) == D("500.00")


def test_who_may_take_payments(gym, package, owner, senior, assistant):
    services.payment_record(actor=owner, package=package, amount="1")
    for actor in (senior, assistant, TrainerFactory(role="trainer")):
        with pytest.raises(ApplicationError, match="You cannot take payments for this package."):
            services.payment_record(actor=actor, package=package, amount="1")
    assert list(Payment.objects.visible_to(assistant)) == []
    assert list(Payment.objects.visible_to(senior)) == []
    assert balance(assistant, package) is None


def test_bhd_payments_keep_thousandths(coach, client_of_coach, gym):
    gym.currency = "BHD"
    type(gym).objects.filter(pk=gym.pk).update(currency="BHD")  # the sale reads the row
    package = package_services.package_sell(
        actor=coach, client=client_of_coach, name="B", total_sessions=1, price="12.345"
    )
    payment = services.payment_record(actor=coach, package=package, amount="10.001")
    payment.refresh_from_db()
    assert (payment.amount, payment.fee_amount) == (D("10.001"), D("0.250"))
    assert balance(coach, package) == D("2.344")


def test_revenue_per_trainer_and_month_in_the_gyms_timezone(gym, owner, coach):
    gym.timezone = "Asia/Seoul"
    other = TrainerFactory(role="trainer")
    mine = package_services.package_sell(
        actor=coach, client=ClientFactory(trainer=coach), name="A", total_sessions=1, price=1000
    )
    theirs = package_services.package_sell(
        actor=other, client=ClientFactory(trainer=other), name="B", total_sessions=1, price=1000
    )
    # 2026-01-31 20:00 UTC is already February 1st in Seoul
    services.payment_record(actor=coach, package=mine, amount="100", paid_at=datetime(2026, 1, 31, 14, tzinfo=UTC))
    services.payment_record(actor=coach, package=mine, amount="200", paid_at=datetime(2026, 1, 31, 20, tzinfo=UTC))
    services.payment_refund(actor=coach, package=mine, amount="50", paid_at=datetime(2026, 2, 10, tzinfo=UTC))
    services.payment_record(actor=other, package=theirs, amount="70", paid_at=datetime(2026, 2, 3, tzinfo=UTC))
    rows = selectors.revenue_by_trainer_month(actor=owner)
    figures = [(row["month"].strftime("%Y-%m"), row["trainer_id"], row["amount"]) for row in rows]
    assert figures == [
        ("2026-01", coach.pk, D("100.00")),
        ("2026-02", coach.pk, D("150.00")),
        ("2026-02", other.pk, D("70.00")),
    ]
    assert [row["amount"] for row in selectors.revenue_by_trainer_month(actor=coach)] == [D("100.00"), D("150.00")]
    assert selectors.revenue_by_trainer_month(actor=TrainerFactory(role="assistant")) == []
