"""A trainer downloads an assessment's report from its page in a real browser; the PDF carries the client and the
trainer, in English and in Korean."""

import re
import subprocess
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from apps.assessments.services import assessment_create
from apps.demo.seed import demo_results
from apps.trainers.models import Role
from tests.e2e.conftest import remove_member
from tests.factories import PASSWORD, ClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def assessed(gym_a):
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    email = f"pdf-{uuid.uuid4().hex[:6]}@alpha.example"
    try:
        trainer = TrainerFactory(user=UserFactory(email=email, full_name="Rhea Report"), role=Role.TRAINER)
        client = ClientFactory(trainer=trainer, first_name="Min", last_name="Seo", weight_kg=Decimal("60"),
                               email=f"min-{email}", consent_at=timezone.now())  # fmt: skip
        assessment = assessment_create(actor=trainer, client=client, performed_at=timezone.now() - timedelta(days=1),
                                       results=demo_results(1, 60), age=35, sex="female")  # fmt: skip
        connection.set_schema_to_public()
        yield {"trainer": trainer, "assessment": assessment}
    finally:
        remove_member(gym_a, email, sessions_before)


def test_download_the_report_from_the_assessment_page(assessed, gym_a, app_server, browser, tmp_path):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(assessed["trainer"].user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(url(f"/assessments/{assessed['assessment'].pk}/"))
    for label, expected in (("Download PDF (English)", "Fitness assessment"), ("Download PDF (한국어)", "체력 평가")):
        with page.expect_download() as waiting:
            page.get_by_role("link", name=label).click()
        saved = tmp_path / waiting.value.suggested_filename
        waiting.value.save_as(saved)
        assert saved.suffix == ".pdf"
        text = subprocess.run(["pdftotext", str(saved), "-"], check=True, capture_output=True, text=True).stdout
        assert "Min Seo" in text and "Rhea Report" in text and expected in text
    context.close()


def test_email_the_report_to_the_client_over_smtp(assessed, gym_a, app_server, smtp_server, browser):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US").new_page()
    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(assessed["trainer"].user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(url(f"/assessments/{assessed['assessment'].pk}/"))
    page.get_by_role("button", name=re.compile("^E-mail to ")).click()
    expect(page.get_by_text("The report is on its way to")).to_be_visible()
    recipients, message = smtp_server.next_message()
    assert recipients == [f"min-{assessed['trainer'].user.email}"]
    assert "Your fitness assessment" in message["Subject"]
    attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1 and attachments[0].get_filename().endswith(".pdf")
    pdf = attachments[0].get_payload(decode=True)
    assert pdf.startswith(b"%PDF")
    smtp_server.assert_empty()
