from datetime import timedelta
from decimal import Decimal

import pytest

from apps.audit.models import AuditEntry
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError
from apps.trainers.models import PricingTemplate
from apps.training.models import PackageStatus, PricingMode, SessionPackage
from apps.training.services import packages as services
from tests.factories import ClientFactory, TrainerFactory

D = Decimal


def refusal(field, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        services.package_sell(**kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value.message


def test_sell_from_a_template_copies_its_terms_and_the_gym_rates(coach, client_of_coach, template):
    package = services.package_sell(actor=coach, client=client_of_coach, pricing_template=template)
    package.refresh_from_db()
    assert package.pricing_template == template
    assert (package.name, package.total_sessions, package.used_sessions) == ("Ten", 10, 0)
    assert (package.price, package.currency, package.vat_rate, package.card_fee_rate) == (
        D("500.000"),
        "USD",
        D("0.1000"),
        D("0.0250"),
    )
    assert package.pricing_mode == PricingMode.INCLUSIVE
    assert (package.gross_amount, package.net_amount, package.vat_amount, package.fee_amount) == (
        D("500.000"),
        D("454.550"),
        D("45.450"),
        D("12.500"),
    )
    assert package.expires_on == gym_today() + timedelta(days=90)
    assert package.status == PackageStatus.ACTIVE
    assert package.trainer == coach
    entry = AuditEntry.objects.get(action="package.sell")
    assert entry.sentence == "Package sold to Cora Client: 10 sessions for $500.00."


def test_sell_custom_exclusive_with_own_rates(owner, client_of_coach):
    package = services.package_sell(
        actor=owner,
        client=client_of_coach,
        name="Summer",
        total_sessions=5,
        price="200",
        vat_rate="0.0825",
        card_fee_rate="0",
        pricing_mode=PricingMode.EXCLUSIVE,
        expires_on=gym_today(),
    )
    assert (package.net_amount, package.vat_amount, package.gross_amount, package.fee_amount) == (
        D("200.00"),
        D("16.50"),
        D("216.50"),
        D("0.00"),
    )
    assert package.pricing_template is None and package.trainer == client_of_coach.trainer


def test_a_template_may_be_sold_with_another_price(coach, client_of_coach, template):
    package = services.package_sell(actor=coach, client=client_of_coach, pricing_template=template, price="450")
    assert (package.price, package.total_sessions) == (D("450.00"), 10)


def test_krw_amounts_are_whole(coach, client_of_coach, gym):
    gym.currency = "KRW"
    type(gym).objects.filter(pk=gym.pk).update(currency="KRW")  # the sale reads the row
    package = services.package_sell(actor=coach, client=client_of_coach, name="Ten", total_sessions=10, price="99999")
    assert (package.gross_amount, package.net_amount, package.vat_amount, package.fee_amount) == (
        D("99999"),
        D("90908"),
        D("9091"),
        D("2500"),
    )
    assert refusal("price", actor=coach, client=client_of_coach, name="X", total_sessions=1, price="10.5") == (
        "Amounts in KRW are whole, without decimals."
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"vat_rate": "1.5"}, "vat_rate", "A rate must be below 100%."),
        ({"vat_rate": "1"}, "vat_rate", "A rate must be below 100%."),
        ({"vat_rate": "-0.1"}, "vat_rate", "A rate cannot be negative."),
        ({"card_fee_rate": "2"}, "card_fee_rate", "A rate must be below 100%."),
        ({"card_fee_rate": "-0.0001"}, "card_fee_rate", "A rate cannot be negative."),
        (
            {"card_fee_rate": "0.00001"},
            "card_fee_rate",
            "A rate has at most 4 decimal places as a fraction (0.0825 is 8.25%).",
        ),
        ({"vat_rate": "ten"}, "vat_rate", "Enter the rate as a number."),
        ({"price": "-1"}, "price", "The amount cannot be below zero."),
        ({"price": "abc"}, "price", "Enter the amount as a number, such as 50000 or 49.90."),
        ({"price": "1.001"}, "price", "Use at most 2 decimal places."),
        ({"total_sessions": 0}, "total_sessions", "A package has at least one session."),
        ({"total_sessions": 501}, "total_sessions", "A package has at most 500 sessions."),
        ({"total_sessions": "2.5"}, "total_sessions", "Enter the number of sessions as a whole number."),
        ({"name": "  "}, "name", "Give the package a name."),
        ({"pricing_mode": "both"}, "pricing_mode", "Choose inclusive or exclusive pricing."),
        ({"expires_on": "yesterday"}, "expires_on", "The expiry date cannot be before the day of sale."),
    ],
)
def test_bad_input_is_refused_at_its_field(coach, client_of_coach, kwargs, field, message):
    base = {"actor": coach, "client": client_of_coach, "name": "Five", "total_sessions": 5, "price": "100"}
    if kwargs.get("expires_on") == "yesterday":
        kwargs = {"expires_on": gym_today() - timedelta(days=1)}
    assert refusal(field, **{**base, **kwargs}) == message
    assert not SessionPackage.objects.exists()
    assert not AuditEntry.objects.filter(action="package.sell").exists()


def test_custom_needs_a_price(coach, client_of_coach):
    assert refusal("price", actor=coach, client=client_of_coach, name="X", total_sessions=1) == "Enter the price."


def test_off_sale_or_foreign_template_is_refused(coach, client_of_coach, template, gym):
    other = TrainerFactory(role="trainer")
    foreign = PricingTemplate.objects.create(trainer=other, name="Other", sessions=1, price=1, validity_days=1)
    assert refusal("pricing_template", actor=coach, client=client_of_coach, pricing_template=foreign) == (
        "Choose a pricing template on sale."
    )
    template.is_active = False
    template.save()
    assert refusal("pricing_template", actor=coach, client=client_of_coach, pricing_template=template) == (
        "Choose a pricing template on sale."
    )


def test_owner_may_not_sell_one_trainers_template_to_anothers_client(owner, template, gym):
    stranger = ClientFactory(trainer=TrainerFactory(role="trainer"))
    message = refusal("pricing_template", actor=owner, client=stranger, pricing_template=template)
    assert message.startswith("This template belongs to another trainer")


@pytest.mark.parametrize("role", ["senior", "trainer"])
def test_seniors_and_trainers_sell_only_to_their_clients(gym, role, client_of_coach):
    actor = TrainerFactory(role=role)
    assert refusal("client", actor=actor, client=client_of_coach, name="X", total_sessions=1, price=1) == (
        "Choose one of your clients."
    )


def test_assistants_never_sell(assistant, client_of_coach):
    with pytest.raises(ApplicationError, match="You cannot sell packages."):
        services.package_sell(actor=assistant, client=client_of_coach, name="X", total_sessions=1, price=1)


def test_the_database_keeps_used_within_total(coach, client_of_coach):
    from django.db import IntegrityError, transaction

    package = services.package_sell(actor=coach, client=client_of_coach, name="One", total_sessions=1, price=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPackage.objects.filter(pk=package.pk).update(used_sessions=2)


def test_visible_to(owner, senior, coach, assistant, client_of_coach):
    package = services.package_sell(actor=coach, client=client_of_coach, name="One", total_sessions=1, price=1)
    assert list(SessionPackage.objects.visible_to(owner)) == [package]
    assert list(SessionPackage.objects.visible_to(coach)) == [package]
    assert list(SessionPackage.objects.visible_to(senior)) == []
    assert list(SessionPackage.objects.visible_to(assistant)) == []


def test_cancel_a_package(coach, client_of_coach):
    package = services.package_sell(actor=coach, client=client_of_coach, name="One", total_sessions=1, price=1)
    services.package_cancel(actor=coach, package=package)
    package.refresh_from_db()
    assert package.status == PackageStatus.CANCELLED
    assert AuditEntry.objects.filter(action="package.cancel").count() == 1


def test_rates_shown_as_percentages(coach, client_of_coach):
    package = services.package_sell(
        actor=coach, client=client_of_coach, name="P", total_sessions=1, price=1, vat_rate="0.0825", card_fee_rate="0.1"
    )
    assert (package.vat_percent, package.card_fee_percent) == ("8.25", "10")
