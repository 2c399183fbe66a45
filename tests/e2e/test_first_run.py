"""A new gym's first run on a phone (390x844), through a real browser and a real server.

The owner of a freshly provisioned gym follows the dashboard's set-up checklist: the gym's settings (currency KRW,
10 % VAT, a card fee), a pricing template, the first client; then sells a package from the client's page, the
template filling the form at once, records the payment from the client's page and opens its printable receipt.
"""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from playwright.sync_api import expect

from apps.training.models import Payment, SessionPackage
from tenants.models import Organization, Role
from tenants.services import organization_provision
from tests.factories import PASSWORD, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
OWNER_NAME = "Nari Newgym"


@pytest.fixture
def new_gym(committed_rows):
    """A gym provisioned just now (no invitation mailed) with its owner; ``committed_rows`` drops the gym, its schema
    and the owner's platform user afterwards."""
    slug = f"first{uuid.uuid4().hex[:8]}"
    organization, _token = organization_provision(
        name=f"Firstrun Fitness {slug[5:]}", slug=slug, owner_email=f"owner@{slug}.example", send_invitation=False
    )
    connection.set_tenant(organization)
    try:
        owner = TrainerFactory(user=UserFactory(email=f"owner@{slug}.example", full_name=OWNER_NAME), role=Role.OWNER)
    finally:
        connection.set_schema_to_public()
    return organization, owner


def document_fits(page):
    """The page is no wider than the phone (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_new_gyms_owner_follows_the_checklist_on_a_phone(new_gym, app_server, browser, screenshots):
    organization, owner = new_gym
    url = lambda path="/": app_server.gym_url(organization.slug, path)  # noqa: E731
    context = browser.new_context(viewport=PHONE, locale="en-US", device_scale_factor=1, is_mobile=True)
    page = context.new_page()

    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(owner.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text(f"Hello, {OWNER_NAME}")

    # 1. A new gym: the checklist, and no wall of zero tiles.
    checklist = page.locator(".setup-checklist")
    expect(checklist).to_contain_text("0 of 5 done")
    expect(page.locator(".figures")).to_have_count(0)
    expect(page.get_by_role("heading", name="Nothing to count yet")).to_be_visible()
    screenshots(page, "dashboard-new-gym")

    # 2. The gym's settings: currency, VAT and card fee. A bad rate first: every money error at once.
    checklist.get_by_role("link", name="Open the settings").click()
    expect(page.locator("h1")).to_have_text("Gym settings")
    page.locator("#id_currency").select_option("KRW")
    page.locator("#id_default_vat_percent").fill("150")
    page.locator("#id_default_card_fee_percent").fill("-1")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#id_default_vat_percent_errors")).to_contain_text("Enter a percentage from 0 to below 100")
    expect(page.locator("#id_default_card_fee_percent_errors")).to_contain_text("Enter a percentage")
    page.locator("#id_default_vat_percent").fill("10")
    page.locator("#id_default_card_fee_percent").fill("3")
    screenshots(page, "settings-money")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("Gym settings saved.")
    expect(page.locator("#id_currency")).to_have_value("KRW")
    organization.refresh_from_db()
    assert (organization.currency, organization.default_vat_rate, organization.default_card_fee_rate) == (
        "KRW",
        Decimal("0.1000"),
        Decimal("0.0300"),
    )

    # 3. Prices: a pricing template.
    page.goto(url("/"))
    expect(checklist).to_contain_text("1 of 5 done")
    checklist.get_by_role("link", name="Add a pricing template").click()
    page.locator("#id_name").fill("10 sessions")
    page.locator("#id_sessions").fill("10")
    page.locator("#id_price").fill("550000")
    page.locator("#id_validity_days").fill("90")
    page.get_by_role("button", name="Create template").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(url("/"))
    expect(checklist).to_contain_text("2 of 5 done")

    # 4. The first client.
    checklist.get_by_role("link", name="Add a client").click()
    page.locator("#id_first_name").fill("Minji")
    page.locator("#id_last_name").fill("Kang")
    page.get_by_role("button", name="Add client").click()
    expect(page.locator("h1")).to_contain_text("Minji Kang")
    hub = page.locator(".hub-actions")
    expect(hub.get_by_role("link")).to_have_text(["Book a session", "Sell a package", "Start an assessment"])
    assert document_fits(page)
    screenshots(page, "client-hub")

    # 5. Sell from the client's page: the client is chosen, the template fills the form without a round trip.
    hub.get_by_role("link", name="Sell a package").click()
    expect(page.locator("h1")).to_have_text("Sell a package")
    expect(page.locator("#id_client option:checked")).to_have_text("Minji Kang")
    # The gym's new settings, whichever server process answers (each keeps its own copy of the gym for a while).
    expect(page.locator("#sell-fields")).to_contain_text("In KRW.")
    expect(page.locator("#sell-fields")).to_contain_text("Empty: the gym's rate, 10%.")
    page.locator("#id_pricing_template").select_option(label=f"{OWNER_NAME}: 10 sessions")
    expect(page.locator("#id_name")).to_have_value("10 sessions")
    expect(page.locator("#id_total_sessions")).to_have_value("10")
    expect(page.locator("#id_price")).to_have_value("550000")
    expect(page.locator("#id_client option:checked")).to_have_text("Minji Kang")  # kept through the swap
    screenshots(page, "sell-filled-from-template")
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Package “10 sessions” sold.")
    expect(page.locator("h1")).to_contain_text("Minji Kang")  # back on the client's page
    connection.set_tenant(organization)
    try:
        package = SessionPackage.objects.get()
    finally:
        connection.set_schema_to_public()
    assert (package.currency, package.gross_amount, package.vat_rate) == ("KRW", Decimal("550000"), Decimal("0.1"))

    # 6. The payment, from the client's page, and its receipt.
    page.locator(".hub-actions").get_by_role("link", name="Record a payment").click()
    expect(page.locator("#id_amount")).to_have_value("550000")
    page.locator("#id_method").select_option("card")
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator(".messages")).to_contain_text("Payment recorded.")
    expect(page.locator(".hub-actions").get_by_role("link", name="Record a payment")).to_have_count(0)
    page.get_by_role("link", name="Receipt").first.click()
    expect(page.locator("h1")).to_have_text("Payment receipt")
    receipt = page.locator(".receipt")
    for text in (organization.name, "Minji Kang", "10 sessions", OWNER_NAME, "Card", "₩550,000", "₩500,000"):
        expect(receipt).to_contain_text(text)
    expect(receipt).to_contain_text("VAT (10%)")
    expect(receipt).to_contain_text("₩50,000")
    assert document_fits(page)
    screenshots(page, "receipt")
    page.emulate_media(media="print")
    expect(page.locator("body > header")).to_be_hidden()
    expect(page.locator(".receipt-actions")).to_be_hidden()
    screenshots(page, "receipt-print")
    page.emulate_media(media="screen")

    # 7. The checklist now waits for the team and the first session only; the owner puts it away.
    page.goto(url("/"))
    expect(checklist).to_contain_text("3 of 5 done")
    expect(page.locator(".figures")).to_have_count(1)
    screenshots(page, "dashboard-after-setup")
    checklist.get_by_role("button", name="Hide this checklist").click()
    expect(page.locator(".messages")).to_contain_text("The set-up checklist is put away.")
    expect(page.locator(".setup-checklist")).to_have_count(0)
    assert Organization.objects.get(pk=organization.pk).setup_checklist_dismissed_at is not None
    connection.set_tenant(organization)
    try:
        payment = Payment.objects.get()
    finally:
        connection.set_schema_to_public()
    assert (payment.amount, payment.method, payment.fee_amount) == (Decimal("550000"), "card", Decimal("16500"))

    # 8. The same pages on a desktop.
    page.set_viewport_size({"width": 1280, "height": 800})
    for path, name in [
        ("/clients/", "desktop-clients"),
        (f"/clients/{payment.client_id}/", "desktop-client-hub"),
        (f"/packages/new/?client={payment.client_id}", "desktop-sell"),
        (f"/payments/{payment.pk}/receipt/", "desktop-receipt"),
        ("/payments/", "desktop-payments"),
    ]:
        page.goto(url(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, path
        screenshots(page, name)
    context.close()
