"""Pricing templates: services (rules, refusals, audit), selectors and pages for each role."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.trainers.models import PricingTemplate
from apps.trainers.selectors.pricing import pricing_template_get, pricing_template_list
from apps.trainers.services.pricing import (
    pricing_template_create,
    pricing_template_set_active,
    pricing_template_update,
)
from tenants.models import Role
from tests.factories import TrainerFactory
from tests.support import in_gym, member

TERMS = {"name": "10 sessions", "sessions": 10, "price": Decimal("500.00"), "validity_days": 90}


def make_template(trainer, **overrides):
    """A template row as it would be in the database (straight insert: no actor, no audit)."""
    fields = {**TERMS, **overrides}
    return PricingTemplate.objects.create(trainer=trainer, **fields)


def create(actor, trainer=None, **overrides):
    return pricing_template_create(actor=actor, trainer=trainer or actor, **{**TERMS, **overrides})


# --- services ---------------------------------------------------------------------------------------------------


def test_a_trainer_creates_their_own_template_and_it_is_audited(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER, public_name="Tara")
    template = create(trainer, name="  Starter   pack ", price="49.9")
    template.refresh_from_db()
    assert (template.trainer, template.name, template.sessions, template.price, template.validity_days) == (
        trainer,
        "Starter pack",
        10,
        Decimal("49.90"),
        90,
    )
    assert template.is_active is True
    entry = AuditEntry.objects.get(target_type="trainers.pricingtemplate", target_id=str(template.pk))
    assert (entry.actor_id, entry.actor_name, entry.action) == (trainer.pk, "Tara", "pricing_template.create")
    assert entry.changes == {
        "name": [None, "Starter pack"],
        "sessions": [None, 10],
        "price": [None, "49.90"],
        "validity_days": [None, 90],
        "is_active": [None, True],
    }
    assert entry.sentence == "Pricing template for Tara created: 10 sessions for $49.90, valid 90 days."


def test_the_owner_creates_a_template_for_a_trainer(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    trainer = TrainerFactory(role=Role.TRAINER)
    template = create(owner, trainer, is_active=False)
    assert template.trainer == trainer
    assert template.is_active is False
    assert AuditEntry.objects.get(target_id=str(template.pk)).actor_id == owner.pk


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER])
def test_seniors_and_trainers_cannot_create_for_someone_else(in_gym_a, role):
    actor = TrainerFactory(role=role)
    other = TrainerFactory(role=Role.TRAINER)
    with pytest.raises(ApplicationError, match="only manage your own") as refused:
        create(actor, other)
    assert refused.value.field == "trainer"
    assert not PricingTemplate.objects.exists()


def test_an_assistant_cannot_create_a_template(in_gym_a):
    assistant = TrainerFactory(role=Role.ASSISTANT)
    with pytest.raises(ApplicationError, match="cannot manage pricing"):
        create(assistant)
    assert not PricingTemplate.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_owner_cannot_give_an_assistant_a_template(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    assistant = TrainerFactory(role=Role.ASSISTANT)
    with pytest.raises(ApplicationError, match="Assistants do not sell packages") as refused:
        create(owner, assistant)
    assert refused.value.field == "trainer"


def test_no_new_template_for_a_deactivated_trainer(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    gone = TrainerFactory(role=Role.TRAINER, is_active=False, public_name="Gone")
    with pytest.raises(ApplicationError, match="Gone is deactivated and cannot sell packages"):
        create(owner, gone)


def test_a_deactivated_actor_cannot_create(in_gym_a):
    actor = TrainerFactory(role=Role.OWNER, is_active=False)
    with pytest.raises(ApplicationError, match="cannot manage pricing"):
        create(actor, TrainerFactory())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", Decimal("-0.01"), "The price cannot be below zero."),
        ("price", "-5", "The price cannot be below zero."),
        ("price", "12.345", "Use at most 2 decimal places."),
        ("price", "abc", "Enter the price as a number, such as 50000 or 49.90."),
        ("price", "", "Enter the price as a number, such as 50000 or 49.90."),
        ("price", "NaN", "Enter the price as a number, such as 50000 or 49.90."),
        ("price", "Infinity", "Enter the price as a number, such as 50000 or 49.90."),
        ("price", None, "Enter the price as a number, such as 50000 or 49.90."),
        ("price", "10000000000", "The price must be below $10,000,000,000.00."),
        ("price", "1e40", "The price must be below $10,000,000,000.00."),
        ("sessions", 0, "A package has at least one session."),
        ("sessions", -3, "A package has at least one session."),
        ("sessions", 501, "A package has at most 500 sessions."),
        ("sessions", "2.5", "Enter the number of sessions as a whole number."),
        ("sessions", "ten", "Enter the number of sessions as a whole number."),
        ("sessions", None, "Enter the number of sessions as a whole number."),
        ("validity_days", 0, "A package is valid for 1 to 3650 days (10 years)."),
        ("validity_days", -1, "A package is valid for 1 to 3650 days (10 years)."),
        ("validity_days", 3651, "A package is valid for 1 to 3650 days (10 years)."),
        ("validity_days", 100000, "A package is valid for 1 to 3650 days (10 years)."),
        ("validity_days", "1e999999999", "A package is valid for 1 to 3650 days (10 years)."),
        ("sessions", "-1e999999999", "A package has at least one session."),
        ("price", "1e999999999", "The price must be below $10,000,000,000.00."),
        ("price", "1e-999999999", "Use at most 2 decimal places."),
        ("validity_days", "soon", "Enter the validity as a whole number of days."),
        ("name", "", "Give the template a name."),
        ("name", "   ", "Give the template a name."),
        ("name", None, "Give the template a name."),
        ("name", "x" * 121, "Use at most 120 characters."),
    ],
)
def test_bad_terms_are_refused_at_their_field(in_gym_a, field, value, message):
    trainer = TrainerFactory()
    with pytest.raises(ApplicationError) as refused:
        create(trainer, **{field: value})
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not PricingTemplate.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("price", "0"), ("sessions", 500), ("validity_days", 1), ("validity_days", 3650)]
)
def test_limits_themselves_are_accepted(in_gym_a, field, value):
    template = create(TrainerFactory(), **{field: value})
    template.refresh_from_db()
    assert getattr(template, field) == (Decimal(value) if field == "price" else value)


def test_a_gym_in_won_takes_whole_prices_only(in_gym_a):
    in_gym_a.currency = "KRW"
    trainer = TrainerFactory()
    with pytest.raises(ApplicationError) as refused:
        create(trainer, price="50000.5")
    assert refused.value.message == "Prices in KRW are whole amounts, without decimals."
    template = create(trainer, price="50000.00")
    assert template.price == Decimal("50000")
    assert AuditEntry.objects.get(target_id=str(template.pk)).sentence.endswith(
        "10 sessions for ₩50,000, valid 90 days."
    )


def test_a_gym_in_dinars_is_limited_by_the_column_to_two_decimals(in_gym_a):
    in_gym_a.currency = "BHD"
    with pytest.raises(ApplicationError, match="Use at most 2 decimal places."):
        create(TrainerFactory(), price="10.125")


def test_a_second_template_on_sale_with_the_same_name_is_refused(in_gym_a):
    trainer = TrainerFactory()
    create(trainer, name="10 Sessions")
    with pytest.raises(ApplicationError) as refused:
        create(trainer, name=" 10   sessions ")
    assert refused.value.field == "name"
    assert refused.value.message == "You already have a template on sale named “10 sessions”."
    assert PricingTemplate.objects.count() == 1


def test_the_owner_is_told_whose_name_clashes(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    trainer = TrainerFactory(public_name="Tara")
    create(trainer)
    with pytest.raises(ApplicationError, match="Tara already has a template on sale named “10 sessions”."):
        create(owner, trainer)


def test_the_same_name_is_fine_off_sale_or_for_another_trainer(in_gym_a):
    trainer = TrainerFactory()
    create(trainer, is_active=False)
    create(trainer)
    create(trainer, is_active=False)
    create(TrainerFactory())
    assert PricingTemplate.objects.filter(name="10 sessions").count() == 4


def test_update_changes_the_terms_and_audits_the_differences(in_gym_a):
    trainer = TrainerFactory()
    template = create(trainer)
    AuditEntry.objects.all().delete()
    updated = pricing_template_update(
        actor=trainer, template=template, name="10 sessions", sessions="12", price="540", validity_days=90
    )
    updated.refresh_from_db()
    assert (updated.sessions, updated.price) == (12, Decimal("540.00"))
    entry = AuditEntry.objects.get()
    assert entry.action == "pricing_template.update"
    assert entry.changes == {"sessions": [10, 12], "price": ["500.00", "540.00"]}


def test_update_with_nothing_new_writes_nothing(in_gym_a):
    trainer = TrainerFactory()
    template = create(trainer)
    pricing_template_update(actor=trainer, template=template, name="10 sessions", price="500")
    assert AuditEntry.objects.filter(action="pricing_template.update").count() == 0


def test_update_refuses_bad_terms_and_keeps_the_old_ones(in_gym_a):
    trainer = TrainerFactory()
    template = create(trainer)
    with pytest.raises(ApplicationError, match="at least one session"):
        pricing_template_update(actor=trainer, template=template, sessions=0, price="1")
    template.refresh_from_db()
    assert (template.sessions, template.price) == (10, Decimal("500.00"))


def test_update_refuses_a_name_already_on_sale(in_gym_a):
    trainer = TrainerFactory()
    create(trainer, name="Starter")
    template = create(trainer, name="Premium")
    with pytest.raises(ApplicationError, match="already have a template on sale named “starter”"):
        pricing_template_update(actor=trainer, template=template, name="starter")


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_only_the_owner_updates_someone_elses_template(in_gym_a, role):
    template = make_template(TrainerFactory())
    with pytest.raises(ApplicationError):
        pricing_template_update(actor=TrainerFactory(role=role), template=template, price="1")
    with pytest.raises(ApplicationError):
        pricing_template_set_active(actor=TrainerFactory(role=role), template=template, is_active=False)
    template.refresh_from_db()
    assert (template.price, template.is_active) == (Decimal("500.00"), True)


def test_the_owner_updates_anyones_template(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    template = make_template(TrainerFactory(role=Role.SENIOR))
    pricing_template_update(actor=owner, template=template, price="450")
    template.refresh_from_db()
    assert template.price == Decimal("450.00")
    assert AuditEntry.objects.get().actor_id == owner.pk


def test_taking_off_sale_and_back_is_audited_and_nothing_is_deleted(in_gym_a):
    trainer = TrainerFactory()
    template = create(trainer)
    pricing_template_set_active(actor=trainer, template=template, is_active=False)
    pricing_template_set_active(actor=trainer, template=template, is_active=False)  # already off: no entry
    pricing_template_set_active(actor=trainer, template=template, is_active=True)
    template.refresh_from_db()
    assert template.is_active is True
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "changes"))
    assert entries[1:] == [
        ("pricing_template.deactivate", {"is_active": [True, False]}),
        ("pricing_template.reactivate", {"is_active": [False, True]}),
    ]


def test_putting_back_on_sale_refuses_a_clashing_name(in_gym_a):
    trainer = TrainerFactory()
    old = create(trainer, is_active=False)
    create(trainer)
    with pytest.raises(ApplicationError, match="already have a template on sale") as refused:
        pricing_template_set_active(actor=trainer, template=old, is_active=True)
    assert refused.value.field == "name"
    old.refresh_from_db()
    assert old.is_active is False


def test_a_deactivated_trainers_template_can_go_off_sale_but_not_back(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    gone = TrainerFactory(is_active=False)
    template = make_template(gone)
    pricing_template_set_active(actor=owner, template=template, is_active=False)
    with pytest.raises(ApplicationError, match="is deactivated"):
        pricing_template_set_active(actor=owner, template=template, is_active=True)


# --- selectors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"), [(Role.OWNER, {"own", "other"}), (Role.SENIOR, {"own"}), (Role.TRAINER, {"own"})]
)
def test_who_sees_which_templates(in_gym_a, role, sees):
    actor = TrainerFactory(role=role)
    make_template(actor, name="own")
    make_template(TrainerFactory(), name="other")
    assert {t.name for t in pricing_template_list(actor=actor)} == sees


def test_assistants_and_deactivated_members_see_no_templates(in_gym_a):
    assistant = TrainerFactory(role=Role.ASSISTANT)
    gone_owner = TrainerFactory(role=Role.OWNER, is_active=False)
    template = make_template(TrainerFactory())
    for actor in (assistant, gone_owner):
        assert list(pricing_template_list(actor=actor)) == []
        assert pricing_template_get(actor=actor, pk=template.pk) is None


def test_the_list_filters_and_prices_per_session(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    tara, sam = TrainerFactory(), TrainerFactory()
    make_template(tara, name="A", price=Decimal("100.00"), sessions=3)
    make_template(tara, name="B", is_active=False)
    make_template(sam, name="C")
    assert [t.name for t in pricing_template_list(actor=owner, trainer_id=tara.pk)] == ["A", "B"]
    assert [t.name for t in pricing_template_list(actor=owner, trainer_id=tara.pk, active=True)] == ["A"]
    assert [t.name for t in pricing_template_list(actor=owner, active=False)] == ["B"]
    a = pricing_template_list(actor=owner, trainer_id=tara.pk).get(name="A")
    assert a.price_per_session.quantize(Decimal("0.0001")) == Decimal("33.3333")


# --- pages ------------------------------------------------------------------------------------------------------

PAGES = ["/pricing/", "/pricing/new/", "/pricing/{pk}/edit/"]


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("senior", 200), ("trainer", 200), ("assistant", 403)])
def test_pricing_pages_by_role(gym_a, client_a, role, status):
    actor = member(gym_a, role)
    own = in_gym(gym_a, make_template, actor) if role != "assistant" else None
    client_a.login_as(actor)
    assert client_a.get("/pricing/").status_code == status
    assert client_a.get("/pricing/new/").status_code == status
    if own is not None:
        assert client_a.get(f"/pricing/{own.pk}/edit/").status_code == status


def test_an_assistant_gets_403_on_every_pricing_page(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    template = in_gym(gym_a, make_template, owner)
    client_a.login_as(member(gym_a, Role.ASSISTANT))
    assert client_a.get("/pricing/").status_code == 403
    assert client_a.get("/pricing/new/").status_code == 403
    assert client_a.post("/pricing/new/", {**TERMS}).status_code == 403
    assert client_a.get(f"/pricing/{template.pk}/edit/").status_code == 403
    assert client_a.post(f"/pricing/{template.pk}/edit/", {**TERMS, "price": "1"}).status_code == 403
    assert client_a.post(f"/pricing/{template.pk}/toggle/", {"is_active": "0"}).status_code == 403
    template = in_gym(gym_a, PricingTemplate.objects.get, pk=template.pk)
    assert (template.price, template.is_active) == (Decimal("500.00"), True)


@pytest.mark.parametrize("path", ["/pricing/", "/pricing/new/", "/pricing/1/edit/"])
def test_anonymous_visitors_are_sent_to_sign_in(client_a, path):
    response = client_a.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER])
def test_another_trainers_template_answers_404(gym_a, client_a, role):
    other = member(gym_a, Role.TRAINER)
    template = in_gym(gym_a, make_template, other, name="Theirs")
    client_a.login_as(member(gym_a, role))
    assert b"Theirs" not in client_a.get("/pricing/").content
    assert client_a.get(f"/pricing/{template.pk}/edit/").status_code == 404
    assert client_a.post(f"/pricing/{template.pk}/edit/", {**TERMS, "price": "1"}).status_code == 404
    assert client_a.post(f"/pricing/{template.pk}/toggle/", {"is_active": "0"}).status_code == 404
    template = in_gym(gym_a, PricingTemplate.objects.get, pk=template.pk)
    assert (template.price, template.is_active) == (Decimal("500.00"), True)


def test_a_template_of_another_gym_answers_404(gym_a, gym_b, client_a):
    foreign = in_gym(gym_b, make_template, member(gym_b, Role.TRAINER), name="Bravo only")
    client_a.login_as(member(gym_a, Role.OWNER))
    assert b"Bravo only" not in client_a.get("/pricing/").content
    assert client_a.get(f"/pricing/{foreign.pk}/edit/").status_code == 404
    assert client_a.post(f"/pricing/{foreign.pk}/toggle/", {"is_active": "0"}).status_code == 404
    foreign = in_gym(gym_b, PricingTemplate.objects.get, pk=foreign.pk)
    assert foreign.is_active is True


def test_the_owner_sees_everyone_and_filters_by_trainer_and_status(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    tara = member(gym_a, Role.TRAINER, public_name="Tara")
    sam = member(gym_a, Role.SENIOR, public_name="Sam")
    in_gym(gym_a, make_template, tara, name="Tara on sale")
    in_gym(gym_a, make_template, tara, name="Tara off sale", is_active=False)
    in_gym(gym_a, make_template, sam, name="Sam on sale")
    client_a.login_as(owner)
    content = client_a.get("/pricing/").content.decode()
    assert all(name in content for name in ("Tara on sale", "Tara off sale", "Sam on sale"))
    content = client_a.get(f"/pricing/?trainer={tara.pk}").content.decode()
    assert "Tara on sale" in content and "Tara off sale" in content and "Sam on sale" not in content
    content = client_a.get(f"/pricing/?trainer={tara.pk}&active=1").content.decode()
    assert "Tara on sale" in content and "Tara off sale" not in content
    # Nonsense in the filters is ignored, never an error.
    response = client_a.get("/pricing/?trainer=abc&active=maybe")
    assert response.status_code == 200
    assert "Sam on sale" in response.content.decode()


def test_trainers_see_no_trainer_filter(gym_a, client_a):
    client_a.login_as(member(gym_a, Role.TRAINER))
    content = client_a.get("/pricing/").content.decode()
    assert 'name="trainer"' not in content
    assert 'name="active"' in content


def test_prices_are_shown_in_the_gyms_currency(gym_a, client_a):
    gym_a.currency = "KRW"
    gym_a.save(update_fields=["currency"])
    trainer = member(gym_a, Role.TRAINER)
    in_gym(gym_a, make_template, trainer, price=Decimal("500000"), sessions=10)
    in_gym(gym_a, make_template, trainer, name="Odd", price=Decimal("100000"), sessions=3, validity_days=1)
    content = client_a.login_as(trainer).get("/pricing/").content.decode()
    assert "₩500,000" in content
    assert "₩50,000" in content  # per session
    assert "₩33,333" in content  # 100000 / 3, rounded to the won
    assert "1 day<" in content and "90 days<" in content


def test_a_trainer_creates_a_template_from_the_form(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    other = member(gym_a, Role.TRAINER)
    client_a.login_as(trainer)
    form = client_a.get("/pricing/new/").content.decode()
    assert 'name="trainer"' not in form  # their own, no choice
    data = {**TERMS, "is_active": "on", "trainer": other.pk}  # a smuggled trainer is ignored
    response = client_a.post("/pricing/new/", data, follow=True)
    assert response.redirect_chain == [("/pricing/", 302)]
    assert "Pricing template “10 sessions” created." in response.content.decode()
    template = in_gym(gym_a, PricingTemplate.objects.get)
    assert (template.trainer_id, template.price, template.is_active) == (trainer.pk, Decimal("500.00"), True)
    assert in_gym(gym_a, AuditEntry.objects.get).action == "pricing_template.create"


def test_the_owner_picks_among_active_trainers_who_sell(gym_a, client_a):
    owner = member(gym_a, Role.OWNER, public_name="Olivia")
    tara = member(gym_a, Role.TRAINER, public_name="Tara")
    member(gym_a, Role.ASSISTANT, public_name="Alex")
    member(gym_a, Role.TRAINER, public_name="Gone", is_active=False)
    client_a.login_as(owner)
    form = client_a.get("/pricing/new/").content.decode()
    assert ">Olivia<" in form and ">Tara<" in form
    assert ">Alex<" not in form and ">Gone<" not in form
    response = client_a.post("/pricing/new/", {**TERMS, "trainer": tara.pk})
    assert response.status_code == 302
    template = in_gym(gym_a, PricingTemplate.objects.get)
    assert template.trainer_id == tara.pk
    assert template.is_active is False  # the box was left unticked


@pytest.mark.parametrize("role", [Role.ASSISTANT, "inactive"])
def test_the_owner_cannot_pick_an_assistant_or_a_deactivated_trainer(gym_a, client_a, role):
    owner = member(gym_a, Role.OWNER)
    target = member(gym_a, Role.TRAINER, is_active=False) if role == "inactive" else member(gym_a, role)
    client_a.login_as(owner)
    response = client_a.post("/pricing/new/", {**TERMS, "trainer": target.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not in_gym(gym_a, PricingTemplate.objects.exists)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "-1", "The price cannot be below zero."),
        ("price", "abc", "Enter a number."),
        ("price", "1.999", "Use at most 2 decimal places."),
        ("sessions", "0", "A package has at least one session."),
        ("sessions", "many", "Enter a whole number."),
        ("validity_days", "0", "A package is valid for 1 to 3650 days (10 years)."),
        ("validity_days", "3651", "A package is valid for 1 to 3650 days (10 years)."),
        ("name", "", "This field is required."),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(gym_a, client_a, field, value, message):
    client_a.login_as(member(gym_a, Role.TRAINER))
    response = client_a.post("/pricing/new/", {**TERMS, field: value})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors == {field: [message]}
    assert message in response.content.decode()
    assert not in_gym(gym_a, PricingTemplate.objects.exists)


def test_a_duplicate_name_is_shown_at_the_name_field(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    in_gym(gym_a, make_template, trainer)
    client_a.login_as(trainer)
    response = client_a.post("/pricing/new/", {**TERMS, "is_active": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["You already have a template on sale named “10 sessions”."]}


def test_a_won_gym_refuses_decimals_in_the_form(gym_a, client_a):
    gym_a.currency = "KRW"
    gym_a.save(update_fields=["currency"])
    client_a.login_as(member(gym_a, Role.TRAINER))
    form = client_a.get("/pricing/new/").content.decode()
    assert 'step="1"' in form and "In KRW." in form
    response = client_a.post("/pricing/new/", {**TERMS, "price": "50000.5"})
    assert response.context["form"].errors == {"price": ["Prices in KRW are whole amounts, without decimals."]}


def test_editing_a_template(gym_a, client_a):
    gym_a.currency = "KRW"
    gym_a.save(update_fields=["currency"])
    trainer = member(gym_a, Role.TRAINER)
    template = in_gym(gym_a, make_template, trainer, price=Decimal("500000"))
    client_a.login_as(trainer)
    form = client_a.get(f"/pricing/{template.pk}/edit/").content.decode()
    assert 'value="500000"' in form  # no ".00" in won
    assert 'name="is_active"' not in form  # on/off sale is the list's button
    response = client_a.post(
        f"/pricing/{template.pk}/edit/", {"name": "Ten", "sessions": "10", "price": "450000", "validity_days": "60"}
    )
    assert response.status_code == 302
    template = in_gym(gym_a, PricingTemplate.objects.get, pk=template.pk)
    assert (template.name, template.price, template.validity_days) == ("Ten", Decimal("450000.00"), 60)
    entry = in_gym(gym_a, AuditEntry.objects.get)
    assert entry.changes == {
        "name": ["10 sessions", "Ten"],
        "price": ["500000.00", "450000.00"],
        "validity_days": [90, 60],
    }


def test_the_owner_edits_a_trainers_template(gym_a, client_a):
    template = in_gym(gym_a, make_template, member(gym_a, Role.TRAINER))
    client_a.login_as(member(gym_a, Role.OWNER))
    response = client_a.post(f"/pricing/{template.pk}/edit/", {**TERMS, "price": "1.50"})
    assert response.status_code == 302
    assert in_gym(gym_a, PricingTemplate.objects.get, pk=template.pk).price == Decimal("1.50")


def test_taking_a_template_off_sale_and_back_from_the_list(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    template = in_gym(gym_a, make_template, trainer)
    client_a.login_as(trainer)
    assert client_a.get(f"/pricing/{template.pk}/toggle/").status_code == 405
    response = client_a.post(
        f"/pricing/{template.pk}/toggle/", {"is_active": "0", "next": "/pricing/?active=1"}, follow=True
    )
    assert response.redirect_chain == [("/pricing/?active=1", 302)]
    assert "“10 sessions” is off sale." in response.content.decode()
    assert in_gym(gym_a, PricingTemplate.objects.get, pk=template.pk).is_active is False
    # Sent twice (a double click): still off, and only one entry.
    client_a.post(f"/pricing/{template.pk}/toggle/", {"is_active": "0"})
    response = client_a.post(f"/pricing/{template.pk}/toggle/", {"is_active": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/pricing/"
    assert in_gym(gym_a, PricingTemplate.objects.get, pk=template.pk).is_active is True
    actions = in_gym(gym_a, lambda: list(AuditEntry.objects.order_by("id").values_list("action", flat=True)))
    assert actions == ["pricing_template.deactivate", "pricing_template.reactivate"]


def test_putting_back_on_sale_with_a_clashing_name_shows_the_reason(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    old = in_gym(gym_a, make_template, trainer, is_active=False)
    in_gym(gym_a, make_template, trainer)
    client_a.login_as(trainer)
    response = client_a.post(f"/pricing/{old.pk}/toggle/", {"is_active": "1"}, follow=True)
    assert "You already have a template on sale named “10 sessions”." in response.content.decode()


def test_pagination_keeps_the_filters(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    trainer = member(gym_a, Role.TRAINER)
    connection.set_tenant(gym_a)
    for n in range(30):
        make_template(trainer, name=f"T{n:02d}")
    connection.set_schema_to_public()
    client_a.login_as(owner)
    content = client_a.get(f"/pricing/?trainer={trainer.pk}&active=1").content.decode()
    assert f"?trainer={trainer.pk}&amp;active=1&amp;page=2" in content
    second = client_a.get(f"/pricing/?trainer={trainer.pk}&active=1&page=2").content.decode()
    assert "T29" in second and "T00" not in second


@pytest.mark.parametrize("role", [Role.OWNER, Role.TRAINER])
@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows(gym_a, client_a, role, rows):
    actor = member(gym_a, role)
    connection.set_tenant(gym_a)
    for n in range(rows):
        make_template(actor if n % 2 else TrainerFactory(), name=f"T{n:02d}")
    connection.set_schema_to_public()
    client_a.login_as(actor)
    client_a.get("/pricing/")
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get("/pricing/")
    assert response.status_code == 200
    # search_path, session, user, trainer, row count, page of rows (+ the owner's trainer filter choices and the
    # switcher's list of trainers)
    expected = 8 if role == Role.OWNER else 6
    assert len(queries.captured_queries) == expected, "\n".join(q["sql"][:120] for q in queries.captured_queries)
