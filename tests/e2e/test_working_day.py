"""A trainer's working day through a real browser and a real server.

A trainer of gym "alpha" (made with a pricing template and weekly availability through the services) signs in,
adds a client (a birth date in the future is refused first), records the health screening, assesses the client
across the steps of the entry form while the live preview follows, sells a package from the pricing template,
schedules a session inside the availability and one outside it ("book anyway"), completes the first, takes a
partial payment and finds it all on the client's page.
"""

import re
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from django.db.models import Q
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.assessments.models import Assessment, TestResult
from apps.assessments.scoring.engine import score_assessment
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.trainers.models import AvailabilitySlot, PricingTemplate, Role, Trainer
from apps.trainers.services.availability import availability_slot_add
from apps.trainers.services.pricing import pricing_template_create
from apps.training.models import Payment, Session, SessionPackage
from tests.factories import PASSWORD, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e

TRAINER_NAME = "Dana Dayshift"
FIRST, LAST = "Mina", "Park"
CLIENT = f"{FIRST} {LAST}"
BIRTH = date(1990, 5, 14)
OPEN_FROM, OPEN_UNTIL = time(6, 0), time(21, 0)  # every day of the week


@pytest.fixture
def trainer(gym_a):
    """A committed trainer of gym alpha with a pricing template and availability; everything of theirs is removed
    afterwards (set up before ``app_server``, so removed after the server has stopped)."""
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    email = f"day-{uuid.uuid4().hex[:8]}@alpha.example"
    try:
        trainer = TrainerFactory(user=UserFactory(email=email, full_name=TRAINER_NAME), role=Role.TRAINER)
        for weekday in range(7):
            availability_slot_add(
                actor=trainer, trainer=trainer, weekday=weekday, starts_at=OPEN_FROM, ends_at=OPEN_UNTIL
            )
        pricing_template_create(
            actor=trainer, trainer=trainer, name="10 sessions", sessions=10, price=Decimal("550.00"), validity_days=90
        )
        connection.set_schema_to_public()
        yield trainer
    finally:
        # Whatever was committed, in an order that PROTECT allows: payments, sessions, packages, assessments (and
        # their results), clients, pricing templates, availability, audit entries, trainer, email address, user.
        connection.set_tenant(gym_a)
        try:
            trainers = Trainer.objects.filter(user__email=email)
            clients = Client.objects.filter(trainer__in=trainers)
            Payment.objects.filter(client__in=clients).delete()
            Session.objects.filter(Q(client__in=clients) | Q(trainer__in=trainers)).delete()
            SessionPackage.objects.filter(Q(client__in=clients) | Q(trainer__in=trainers)).delete()
            assessments = Assessment.objects.filter(Q(client__in=clients) | Q(trainer__in=trainers))
            TestResult.objects.filter(assessment__in=assessments).delete()
            assessments.delete()
            clients.delete()
            PricingTemplate.objects.filter(trainer__in=trainers).delete()
            AvailabilitySlot.objects.filter(trainer__in=trainers).delete()
            AuditEntry.objects.filter(actor_id__in=list(trainers.values_list("pk", flat=True))).delete()
            trainers.delete()
            EmailAddress.objects.filter(user__email=email).delete()
            User.objects.filter(email=email).delete()
            HttpSession.objects.exclude(session_key__in=sessions_before).delete()
        finally:
            connection.set_schema_to_public()


def in_gym(organization, query):
    connection.set_tenant(organization)
    try:
        return query()
    finally:
        connection.set_schema_to_public()


def field_errors(page, field_id):
    return page.locator(".field").filter(has=page.locator(f"#{field_id}")).locator(".errorlist")


def test_a_trainer_runs_a_working_day_in_the_browser(trainer, gym_a, app_server, new_page, screenshots):
    slug = gym_a.slug
    url = lambda path="/": app_server.gym_url(slug, path)  # noqa: E731
    zone = ZoneInfo(gym_a.timezone)
    today = datetime.now(zone).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    page = new_page()
    nav = page.get_by_role("navigation", name="Main")

    # 1. Sign in through the login form.
    page.goto(url())
    expect(page).to_have_url(url("/accounts/login/?next=/"))
    expect(page.locator("h1")).to_have_text(f"Sign in to {gym_a.name}")
    page.locator("input[name=login]").fill(trainer.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url())
    expect(page.locator("h1")).to_have_text(f"Hello, {TRAINER_NAME}")
    screenshots(page, "signed-in")

    # 2. Add a client; a birth date in the future is refused at the field and nothing is saved.
    nav.get_by_role("link", name="Clients", exact=True).click()
    expect(page).to_have_url(url("/clients/"))
    page.get_by_role("link", name="New client").click()
    expect(page.locator("h1")).to_have_text("New client")
    page.get_by_label("First name").fill(FIRST)
    page.get_by_label("Last name").fill(LAST)
    page.get_by_label("Date of birth").fill(tomorrow.isoformat())
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Height (cm)").fill("165.5")
    page.get_by_label("Weight (kg)").fill("61.2")
    page.get_by_role("button", name="Add client").click()
    expect(field_errors(page, "id_date_of_birth")).to_have_text("The date of birth cannot be in the future.")
    expect(page.get_by_label("First name")).to_have_value(FIRST)  # the rest of the form is kept
    screenshots(page, "client-birth-date-in-the-future")
    assert not in_gym(gym_a, lambda: Client.objects.filter(trainer=trainer).exists())

    page.get_by_label("Date of birth").fill(BIRTH.isoformat())
    page.get_by_role("button", name="Add client").click()
    expect(page.locator(".messages")).to_contain_text(f"Client “{CLIENT}” added.")
    client = in_gym(gym_a, lambda: Client.objects.get(trainer=trainer))
    assert (client.first_name, client.last_name, client.date_of_birth, client.sex) == (FIRST, LAST, BIRTH, "female")
    assert (client.height_cm, client.weight_kg) == (Decimal("165.5"), Decimal("61.2"))
    expect(page).to_have_url(url(f"/clients/{client.pk}/"))

    # Opened from the list, like a person would.
    nav.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name=CLIENT).click()
    expect(page).to_have_url(url(f"/clients/{client.pk}/"))
    expect(page.locator("h1")).to_contain_text(CLIENT)
    details = page.locator("dl.details")
    expect(details).to_contain_text("165.5 cm")
    expect(details).to_contain_text(re.compile(r"61\.20? kg"))
    expect(details).to_contain_text("22.3 kg/m² (Normal weight)")
    expect(details).to_contain_text(f"({BIRTH:%-d %b %Y})")
    expect(page.get_by_text("Not answered yet.")).to_be_visible()
    screenshots(page, "client-page")

    # 3. Health screening: every answer "no", with consent.
    page.get_by_role("link", name="Record screening").click()
    expect(page.locator("h1")).to_have_text("Health screening")
    questions = page.locator("form.screening .field").filter(has=page.locator("input[type=radio]"))
    assert questions.count() >= 5
    for index in range(questions.count()):
        questions.nth(index).get_by_label("No", exact=True).check()
    page.get_by_label("The client agrees to these answers being recorded").check()
    screenshots(page, "screening")
    page.get_by_role("button", name="Save screening").click()
    expect(page).to_have_url(url(f"/clients/{client.pk}/"))
    expect(page.get_by_text("Answered with consent on")).to_be_visible()
    expect(page.locator(".clearance")).to_have_count(0)
    client = in_gym(gym_a, lambda: Client.objects.get(pk=client.pk))
    assert client.consent_at is not None and not client.needs_medical_clearance

    # 4. An assessment across the steps of the entry form, the live preview following the values.
    page.get_by_role("link", name="Start an assessment").click()
    expect(page).to_have_url(url(f"/assessments/client/{client.pk}/new/"))
    expect(page.locator("h1")).to_have_text(f"New assessment of {CLIENT}")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Scores appear here as you enter values.")
    step = page.locator(".step-nav .muted")
    expect(step).to_have_text("Step 1 / 5")
    next_step = page.locator(".step-nav").get_by_role("button", name="Next")

    age = in_gym(gym_a, lambda: client.age)
    entered = {}

    def expected(test_type, raw, protocol=None):
        entered[test_type] = {"raw": raw, "protocol": protocol or {}}
        return score_assessment(entered, age=age, sex="female")

    next_step.click()
    expect(step).to_have_text("Step 2 / 5")
    expect(page.locator("fieldset:visible legend")).to_have_text("Mobility")
    page.locator("#id_reach_cm").fill("33")
    score = expected("sit_and_reach", {"reach_cm": "33"}, {"box_zero_offset_cm": "26"})
    expect(preview.locator(".overall strong")).to_have_text(str(score.overall))
    expect(preview).to_contain_text("Sit-and-reach")
    screenshots(page, "assessment-mobility")

    next_step.click()
    expect(step).to_have_text("Step 3 / 5")
    expect(page.locator("fieldset:visible legend")).to_have_text("Strength")
    page.locator("#id_push_ups_variant").select_option("knee")
    page.locator("#id_push_ups_reps").fill("20")
    score = expected("push_ups", {"reps": "20"}, {"variant": "knee"})
    expect(preview.locator(".overall strong")).to_have_text(str(score.overall))
    expect(preview.locator(".preview-categories tr").filter(has_text="Strength").locator("td")).to_have_text(
        str(score.categories["strength"].score)
    )
    screenshots(page, "assessment-strength")

    next_step.click()
    expect(page.locator("fieldset:visible legend")).to_have_text("Balance")
    page.locator("#id_eyes_open_left_s").fill("30")
    page.locator("#id_eyes_open_right_s").fill("26")
    score = expected("balance_eyes_open", {"left_s": "30", "right_s": "26"})
    expect(preview.locator(".overall strong")).to_have_text(str(score.overall))

    next_step.click()
    expect(step).to_have_text("Step 5 / 5")
    expect(next_step).to_be_hidden()
    expect(page.locator("fieldset:visible legend")).to_have_text("Cardio")
    page.locator("#id_step_recovery_hr_bpm").fill("104")
    score = expected("step_test", {"recovery_hr_bpm": "104"}, {"protocol": "ymca"})
    categories = {name: category.score for name, category in score.categories.items()}
    assert None not in categories.values(), categories
    expect(preview.locator(".overall strong")).to_have_text(str(score.overall))
    expect(preview).to_contain_text(f"{score.coverage_pct}% measured")
    screenshots(page, "assessment-cardio-preview")
    page.get_by_role("button", name="Save and score").click()

    expect(page.locator(".messages")).to_contain_text("Assessment saved.")
    assessment = in_gym(gym_a, lambda: Assessment.objects.get(client=client))
    expect(page).to_have_url(url(f"/assessments/{assessment.pk}/"))
    assert (assessment.overall_score, assessment.trainer_id) == (score.overall, trainer.pk)
    expect(page.locator("dd.overall strong")).to_have_text(str(score.overall))
    expect(page.locator("dd.overall")).to_contain_text(f"{score.coverage_pct}% measured")
    for name in ("strength", "mobility", "balance", "cardio"):
        label = name.capitalize()
        section = page.locator("section.category").filter(has=page.locator("h2", has_text=label))
        expect(section.locator("h2 .score")).to_have_text(str(categories[name]))
    expect(page.locator(".missing")).to_contain_text("Partial assessment.")
    screenshots(page, "assessment-saved")

    # 5. Sell a package from the pricing template: the breakdown first, then the sale.
    nav.get_by_role("link", name="Packages", exact=True).click()
    page.get_by_role("link", name="Sell a package").click()
    expect(page.locator("h1")).to_have_text("Sell a package")
    page.get_by_label("Client").select_option(label=CLIENT)
    page.get_by_label("Pricing template").select_option(label=f"{TRAINER_NAME}: 10 sessions")
    # The template fills the form at once (HTMX swaps the fields): wait for it before typing the rates.
    expect(page.locator("input[name=price]")).to_have_value("550")
    page.get_by_label("VAT (%)").fill("10")
    page.get_by_label("Card fee (%)").fill("3")
    page.get_by_role("button", name="Show the breakdown").click()
    breakdown = page.locator(".breakdown dl")
    expect(breakdown).to_contain_text("10 sessions · 10 sessions")
    for term, amount in [("Net", "$500.00"), ("VAT", "$50.00"), ("Total paid by the client", "$550.00")]:
        expect(breakdown.locator(f"dt:text-is('{term}') + dd")).to_have_text(amount)
    expect(breakdown.locator("dt:text-is('Card fee (if paid by card)') + dd")).to_have_text("$16.50")
    assert not in_gym(gym_a, lambda: SessionPackage.objects.filter(client=client).exists())  # nothing sold yet
    screenshots(page, "package-breakdown")
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Package “10 sessions” sold.")
    package = in_gym(gym_a, lambda: SessionPackage.objects.get(client=client))
    expect(page).to_have_url(url(f"/packages/{package.pk}/"))
    assert (package.total_sessions, package.gross_amount, package.net_amount) == (
        10,
        Decimal("550.00"),
        Decimal("500.00"),
    )
    assert (package.vat_amount, package.fee_amount) == (Decimal("50.00"), Decimal("16.50"))
    package_facts = page.locator("dl.details")
    expect(package_facts.locator("dt:text-is('Sessions used') + dd")).to_have_text("0 / 10")
    expect(package_facts.locator("dt:text-is('Balance due') + dd")).to_have_text("$550.00")
    screenshots(page, "package-sold")

    # 6. A session inside the availability (yesterday at 10:00, on the package) ...
    page.get_by_role("link", name="Schedule a session").click()
    expect(page.locator("h1")).to_have_text("Schedule a session")
    expect(page.get_by_label("Client")).to_have_value(str(client.pk))
    page.get_by_label("Package").select_option(label=f"{CLIENT}: 10 sessions (10 left to book; 0 booked, 0 used)")
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Duration (minutes)").fill("60")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messages")).to_contain_text("Session scheduled.")
    expect(page).to_have_url(url(f"/sessions/?day={yesterday.isoformat()}"))
    first = in_gym(gym_a, lambda: Session.objects.get(client=client))
    assert first.starts_at == datetime.combine(yesterday, time(10, 0), tzinfo=zone)
    assert (first.package_id, first.status, first.duration_minutes) == (package.pk, "scheduled", 60)
    booked = page.locator(".time-grid .session").filter(has_text=CLIENT)
    expect(booked).to_have_count(1)
    expect(booked).to_contain_text("10:00–11:00")
    screenshots(page, "session-scheduled")

    # ... and one outside it (tomorrow at 22:00): confirmation first, then booked anyway.
    page.get_by_role("link", name="Schedule a session").click()
    page.get_by_label("Client").select_option(label=CLIENT)
    page.get_by_label("Date").fill(tomorrow.isoformat())
    page.get_by_label("Time").fill("22:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".message.warning[role=alert]")).to_contain_text(
        "The trainer is not available at that time. Tick “Book anyway” to book it all the same."
    )
    expect(field_errors(page, "id_confirm_unavailable")).to_have_text(
        f"{TRAINER_NAME} is not available at that time. Book anyway?"
    )
    assert in_gym(gym_a, lambda: Session.objects.filter(client=client).count()) == 1
    screenshots(page, "session-outside-availability")
    expect(page.get_by_label("Date")).to_have_value(tomorrow.isoformat())
    page.get_by_label("Book anyway, outside the trainer's availability").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messages")).to_contain_text("Session scheduled.")
    expect(page).to_have_url(url(f"/sessions/?day={tomorrow.isoformat()}"))
    late = in_gym(gym_a, lambda: Session.objects.exclude(pk=first.pk).get(client=client))
    assert late.starts_at == datetime.combine(tomorrow, time(22, 0), tzinfo=zone)
    assert (late.package_id, late.status) == (None, "scheduled")
    screenshots(page, "session-booked-anyway")

    # 7. Complete yesterday's session: one credit of the package is used.
    page.goto(url(f"/sessions/?day={yesterday.isoformat()}"))
    booked = page.locator(".time-grid .session").filter(has_text=CLIENT).filter(has_text="10:00")
    booked.hover()  # the grid's card shows its actions on hover or focus
    booked.get_by_role("link", name="Complete").click()
    page.locator("dialog#confirm-dialog").get_by_role("button", name="Complete").click()
    expect(page.locator(".messages")).to_contain_text("Session completed.")
    expect(booked).to_contain_text("Completed")
    expect(booked.get_by_role("link", name="Complete")).to_have_count(0)
    screenshots(page, "session-completed")
    package = in_gym(gym_a, lambda: SessionPackage.objects.get(pk=package.pk))
    assert (package.used_sessions, package.remaining_sessions) == (1, 9)

    # 8. A partial payment on the package leaves a balance due.
    nav.get_by_role("link", name="Packages", exact=True).click()
    page.get_by_role("link", name="10 sessions").click()
    expect(page).to_have_url(url(f"/packages/{package.pk}/"))
    expect(package_facts.locator("dt:text-is('Sessions used') + dd")).to_have_text("1 / 10")
    expect(package_facts.locator("dt:text-is('Sessions booked') + dd")).to_have_text("0")
    expect(package_facts.locator("dt:text-is('Left to book') + dd")).to_have_text("9")
    pay = page.locator("form").filter(has=page.get_by_role("heading", name="Record a payment"))
    pay.get_by_label("Amount").fill("200")
    pay.get_by_label("Method").select_option(label="Cash")
    pay.get_by_role("button", name="Record payment").click()
    expect(page.locator(".messages")).to_contain_text("Payment recorded.")
    expect(package_facts.locator("dt:text-is('Paid') + dd")).to_have_text("$200.00")
    expect(package_facts.locator("dt:text-is('Balance due') + dd")).to_have_text("$350.00")
    expect(page.locator("table tbody tr").filter(has_text="Cash")).to_contain_text("$200.00")
    screenshots(page, "payment-recorded")
    payment = in_gym(gym_a, lambda: Payment.objects.get(client=client))
    assert (payment.amount, payment.method, payment.package_id) == (Decimal("200.00"), "cash", package.pk)

    # 9. The client's page shows the whole day on its timeline.
    nav.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name=CLIENT).click()
    expect(page).to_have_url(url(f"/clients/{client.pk}/"))
    rows = page.locator("table.timeline tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text(f"{tomorrow:%-d %b %Y}, 22:00")  # newest first
    expect(rows.nth(0)).to_contain_text(f"60 min with {TRAINER_NAME}")
    expect(rows.nth(0)).to_contain_text("Scheduled")
    expect(rows.nth(4)).to_contain_text(f"{yesterday:%-d %b %Y}, 10:00")
    expect(rows.nth(4)).to_contain_text("Completed")
    expect(rows.filter(has_text="Package")).to_contain_text("10 sessions (10 sessions)")
    expect(rows.filter(has_text="Payment")).to_contain_text("$200.00 · 10 sessions")
    expect(rows.filter(has_text="Payment")).to_contain_text("Cash")
    assessed = rows.filter(has_text="Assessment")
    expect(assessed).to_contain_text(f"Overall score {score.overall} · by {TRAINER_NAME}")
    expect(assessed).to_contain_text(f"{score.coverage_pct}% measured")
    screenshots(page, "client-timeline")
    assessed.get_by_role("link", name="Assessment").click()
    expect(page).to_have_url(url(f"/assessments/{assessment.pk}/"))
