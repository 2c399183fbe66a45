"""The client's page as the trainer's hub (issue 14, point 6): book, sell, take a payment and assess from the client's
page, with the client preselected and the way back; the pricing template filling the sell form; the receipt."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.dates import gym_today
from apps.trainers.models import PricingTemplate
from apps.trainers.services.assistants import assistant_set_trainers
from apps.training.models import Payment, Session, SessionPackage
from apps.training.services import packages as package_services
from apps.training.services import payments as payment_services
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory

from .support import all_week, at


def sell(actor, client, **kwargs):
    return package_services.package_sell(
        actor=actor, client=client, **{"name": "Ten", "total_sessions": 10, "price": 500, **kwargs}
    )


def detail(client_a, actor, client):
    client_a.login_as(actor)
    return client_a.get(reverse("client_detail", args=[client.pk]))


def hub_links(page):
    """The labels of the action bar's links."""
    content = page.content.decode()
    if 'class="hub-actions"' not in content:
        return []
    bar = content.split('class="hub-actions"', 1)[1].split("</nav>", 1)[0]
    return [
        label
        for label in ("Book a session", "Sell a package", "Record a payment", "Start an assessment")
        if label in bar
    ]


# --- the action bar, per role ---------------------------------------------------------------------------------------


def test_the_clients_trainer_sees_every_action(gym, client_a, coach, client_of_coach):
    sell(coach, client_of_coach)  # a balance is due: a payment can be recorded
    page = detail(client_a, coach, client_of_coach)
    assert hub_links(page) == ["Book a session", "Sell a package", "Record a payment", "Start an assessment"]
    content = page.content.decode()
    back = f"next=/clients/{client_of_coach.pk}/"
    assert f'href="/sessions/new/?client={client_of_coach.pk}&amp;{back}"' in content
    assert f'href="/packages/new/?client={client_of_coach.pk}&amp;{back}"' in content
    assert f'href="/clients/{client_of_coach.pk}/payments/new/"' in content
    assert f'href="/assessments/client/{client_of_coach.pk}/new/"' in content


def test_record_a_payment_shows_only_when_a_balance_is_due(gym, client_a, coach, client_of_coach):
    assert "Record a payment" not in hub_links(detail(client_a, coach, client_of_coach))
    package = sell(coach, client_of_coach)
    payment_services.payment_record(actor=coach, package=package, amount=package.gross_amount)
    assert "Record a payment" not in hub_links(detail(client_a, coach, client_of_coach))


def test_the_owner_acts_for_any_trainers_client(gym, client_a, owner, coach, client_of_coach):
    sell(coach, client_of_coach)
    page = detail(client_a, owner, client_of_coach)
    assert hub_links(page) == ["Book a session", "Sell a package", "Record a payment", "Start an assessment"]


def test_an_assistant_books_and_assesses_but_sees_no_money(gym, client_a, coach, owner, client_of_coach):
    sell(coach, client_of_coach)
    ann = TrainerFactory(role=Role.ASSISTANT, user__full_name="Ann Assistant")
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[coach])
    page = detail(client_a, ann, client_of_coach)
    assert hub_links(page) == ["Book a session", "Start an assessment"]
    assert b"/packages/new/" not in page.content
    assert b"/payments/new/" not in page.content
    assert client_a.get(reverse("client_payment_create", args=[client_of_coach.pk])).status_code == 403


def test_a_senior_sees_another_trainers_client_not_at_all(gym, client_a, senior, client_of_coach):
    assert detail(client_a, senior, client_of_coach).status_code == 404
    assert client_a.get(reverse("client_payment_create", args=[client_of_coach.pk])).status_code == 404


def test_an_archived_client_can_be_paid_for_but_not_sold_or_booked(gym, client_a, coach, client_of_coach):
    sell(coach, client_of_coach)
    client_of_coach.status = "archived"
    client_of_coach.save(update_fields=["status"])
    assert hub_links(detail(client_a, coach, client_of_coach)) == ["Record a payment", "Start an assessment"]


# --- preselection and the way back ----------------------------------------------------------------------------------


def test_the_sell_form_preselects_the_client_and_returns_to_the_clients_page(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    back = f"/clients/{client_of_coach.pk}/"
    page = client_a.get(reverse("package_sell"), {"client": client_of_coach.pk, "next": back})
    assert page.context["form"]["client"].value() == str(client_of_coach.pk)
    assert f'<input type="hidden" name="next" value="{back}">' in page.content.decode()
    data = {"client": client_of_coach.pk, "name": "Five", "total_sessions": "5", "price": "100", "next": back}
    response = client_a.post(reverse("package_sell"), {**data, "pricing_mode": "inclusive"})
    assert response.status_code == 302 and response.url == back
    assert SessionPackage.objects.get().name == "Five"


def test_a_next_to_another_site_is_ignored(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    data = {"client": client_of_coach.pk, "name": "Five", "total_sessions": "5", "price": "100"}
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client_a.post(reverse("package_sell"), {**data, "pricing_mode": "inclusive", "next": target})
        package = SessionPackage.objects.latest("pk")
        assert response.url == reverse("package_detail", args=[package.pk])


def test_booking_from_the_clients_page_returns_there(gym, client_a, coach, client_of_coach):
    all_week(coach)
    client_a.login_as(coach)
    back = f"/clients/{client_of_coach.pk}/"
    url = f"{reverse('session_schedule')}?client={client_of_coach.pk}&next={back}"
    page = client_a.get(url)
    assert page.context["form"]["client"].value() == str(client_of_coach.pk)
    when = at(2, 10)
    data = {"client": client_of_coach.pk, "day": when.date().isoformat(), "start": "10:00", "duration_minutes": "60"}
    response = client_a.post(url, data)  # the form has no action: it posts to its own URL, query included
    assert response.status_code == 302 and response.url == back
    assert Session.objects.get().client_id == client_of_coach.pk


def test_a_payment_from_the_clients_page(gym, client_a, coach, client_of_coach):
    older = sell(coach, client_of_coach, name="Older", price=100)
    newer = sell(coach, client_of_coach, name="Newer")
    client_a.login_as(coach)
    url = reverse("client_payment_create", args=[client_of_coach.pk])
    page = client_a.get(url)
    form = page.context["form"]
    assert list(form.fields["package"].queryset) == [newer, older]
    assert form["package"].value() == newer.pk
    assert form["amount"].value() == Decimal("500.00")  # the balance due of the newest package
    response = client_a.post(url, {"package": older.pk, "amount": "30", "method": "cash"})
    assert response.status_code == 302 and response.url == f"/clients/{client_of_coach.pk}/"
    payment = Payment.objects.get()
    assert (payment.package_id, payment.amount, payment.method) == (older.pk, Decimal("30.000"), "cash")


def test_a_payment_from_the_clients_page_reports_every_error(gym, client_a, coach, client_of_coach):
    sell(coach, client_of_coach)
    client_a.login_as(coach)
    url = reverse("client_payment_create", args=[client_of_coach.pk])
    page = client_a.post(url, {"package": "", "amount": "abc", "method": "gold"})
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"package", "amount", "method"}
    assert not Payment.objects.exists()


def test_a_package_of_another_client_is_not_a_choice(gym, client_a, coach, client_of_coach):
    sell(coach, client_of_coach)
    other = sell(coach, ClientFactory(trainer=coach))
    client_a.login_as(coach)
    url = reverse("client_payment_create", args=[client_of_coach.pk])
    page = client_a.post(url, {"package": other.pk, "amount": "10", "method": "cash"})
    assert page.status_code == 400
    assert list(page.context["form"].errors) == ["package"]
    assert not Payment.objects.exists()


# --- the pricing template fills the sell form -----------------------------------------------------------------------


def test_choosing_a_template_fills_name_sessions_price_and_expiry_with_htmx(
    gym, client_a, coach, client_of_coach, template
):
    client_a.login_as(coach)
    page = client_a.get(
        reverse("package_sell"),
        {"client": client_of_coach.pk, "pricing_template": template.pk, "pricing_mode": "exclusive"},
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert content.startswith('<div id="sell-fields">')  # the fields only, not the page
    assert "<html" not in content
    form = page.context["form"]
    assert (form["name"].value(), form["total_sessions"].value(), form["price"].value()) == ("Ten", 10, "500")
    assert form["expires_on"].value() == gym_today() + timedelta(days=90)
    # What the seller chose stays chosen.
    assert form["client"].value() == str(client_of_coach.pk)
    assert form["pricing_mode"].value() == "exclusive"
    assert 'value="Ten"' in content and 'value="500"' in content
    assert "HX-Request" in page["Vary"]


def test_the_template_select_asks_for_the_fields(gym, client_a, coach, template):
    client_a.login_as(coach)
    content = client_a.get(reverse("package_sell")).content.decode()
    assert 'hx-get="/packages/new/"' in content
    assert 'hx-target="#sell-fields"' in content and 'hx-include="#sell-fields"' in content
    assert '<noscript><p><button class="secondary small" name="fill" value="1" formnovalidate>' in content


def test_without_javascript_the_fill_button_fills_the_whole_page_and_sells_nothing(
    gym, client_a, coach, client_of_coach, template
):
    client_a.login_as(coach)
    page = client_a.post(
        reverse("package_sell"), {"client": client_of_coach.pk, "pricing_template": template.pk, "fill": "1"}
    )
    assert page.status_code == 200
    assert b"<html" in page.content
    form = page.context["form"]
    assert (form["name"].value(), form["total_sessions"].value(), form["price"].value()) == ("Ten", 10, "500")
    assert not SessionPackage.objects.exists()


def test_another_trainers_template_fills_nothing(gym, client_a, coach, client_of_coach):
    other = TrainerFactory(role=Role.TRAINER)
    theirs = PricingTemplate.objects.create(trainer=other, name="Theirs", sessions=3, price=90, validity_days=30)
    client_a.login_as(coach)
    page = client_a.get(reverse("package_sell"), {"pricing_template": theirs.pk}, headers={"HX-Request": "true"})
    form = page.context["form"]
    assert (form["name"].value(), form["price"].value(), form["pricing_template"].value()) == (None, None, None)
    page = client_a.get(reverse("package_sell"), {"pricing_template": "abc"}, headers={"HX-Request": "true"})
    assert page.status_code == 200


# --- the receipt ----------------------------------------------------------------------------------------------------


def test_the_receipt_shows_gym_client_package_amounts_method_date_and_trainer(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach, pricing_mode="inclusive", vat_rate="0.1", card_fee_rate="0.025")
    payment = payment_services.payment_record(actor=coach, package=package, amount="220", method="card")
    client_a.login_as(coach)
    page = client_a.get(reverse("payment_receipt", args=[payment.pk]))
    assert page.status_code == 200
    receipt = page.context["receipt"]
    # 220 of a 500 gross that holds 45.45 VAT: 20.00 of VAT, 200.00 net; the card fee is 2.5 % of 220.
    assert (receipt.amount, receipt.vat, receipt.net, receipt.fee) == (
        Decimal("220.000"),
        Decimal("20.00"),
        Decimal("200.000"),
        Decimal("5.500"),
    )
    content = page.content.decode()
    for text in (gym.name, "Cora Client", "Ten", "Tom Trainer", "Card", "$220.00", "$200.00", "$20.00", "$5.50"):
        assert text in content, text
    assert "VAT (10%)" in content
    assert 'href="/static/css/hub.css"' in content  # its print rules


def test_a_refund_has_a_refund_receipt(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    payment_services.payment_record(actor=coach, package=package, amount="100", method="cash")
    refund = payment_services.payment_refund(actor=coach, package=package, amount="40", method="cash")
    client_a.login_as(coach)
    page = client_a.get(reverse("payment_receipt", args=[refund.pk]))
    assert b"Refund receipt" in page.content
    assert page.context["receipt"].amount == Decimal("-40")


def test_the_receipt_is_404_for_whoever_may_not_see_the_payment(gym, client_a, coach, owner, client_of_coach):
    package = sell(coach, client_of_coach)
    payment = payment_services.payment_record(actor=coach, package=package, amount="100")
    url = reverse("payment_receipt", args=[payment.pk])
    ann = TrainerFactory(role=Role.ASSISTANT)
    assistant_set_trainers(actor=owner, assistant=ann, trainers=[coach])
    for actor in (TrainerFactory(role=Role.TRAINER), TrainerFactory(role=Role.SENIOR)):
        client_a.login_as(actor)
        assert client_a.get(url).status_code == 404
    client_a.login_as(ann)  # money is never an assistant's: the role's refusal, whatever the payment
    assert client_a.get(url).status_code == 403
    client_a.login_as(owner)
    assert client_a.get(url).status_code == 200
    assert client_a.get(reverse("payment_receipt", args=[payment.pk + 1000])).status_code == 404


def test_the_receipt_is_linked_from_the_payment_list_and_the_clients_page(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    payment = payment_services.payment_record(actor=coach, package=package, amount="100")
    link = f'href="/payments/{payment.pk}/receipt/"'
    assert link in detail(client_a, coach, client_of_coach).content.decode()
    assert link in client_a.get(reverse("payment_list")).content.decode()


def test_the_receipt_reads_in_one_query_after_the_pages_own(gym, client_a, coach, client_of_coach):
    package = sell(coach, client_of_coach)
    payment = payment_services.payment_record(actor=coach, package=package, amount="100")
    client_a.login_as(coach)
    url = reverse("payment_receipt", args=[payment.pk])
    client_a.get(url)  # warm the host and session caches
    with CaptureQueriesContext(connection) as queries:
        client_a.get(url)
    receipt_queries = [q["sql"] for q in queries if '"training_payment"' in q["sql"]]
    assert len(receipt_queries) == 1


def test_the_clients_page_query_count_does_not_grow_with_packages(gym, client_a, coach, client_of_coach):
    client_a.login_as(coach)
    url = reverse("client_detail", args=[client_of_coach.pk])
    counts = []
    for count in (1, 8):
        while SessionPackage.objects.count() < count:
            sell(coach, client_of_coach)
        client_a.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get(url)
        assert "Record a payment" in hub_links(page)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_sale_reads_the_gyms_settings_from_its_row_not_a_stale_copy(gym, coach, client_of_coach):
    """Another process may still hold the gym's row from before the owner's change (its host cache): the sale reads
    the currency, rates and VAT mode afresh."""
    type(gym).objects.filter(pk=gym.pk).update(
        currency="KRW", default_vat_rate=Decimal("0.2"), default_card_fee_rate=0, default_pricing_mode="exclusive"
    )
    assert (gym.currency, gym.default_pricing_mode) == ("USD", "inclusive")  # the stale copy
    package = sell(coach, client_of_coach, price=1000)
    assert (package.currency, package.vat_rate, package.pricing_mode, package.gross_amount) == (
        "KRW",
        Decimal("0.2"),
        "exclusive",
        Decimal("1200"),
    )
