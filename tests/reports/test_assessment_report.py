"""The assessment report as a client receives it: read back with poppler (pdftotext, pdffonts, pdftoppm)."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from apps.assessments.services import assessment_create
from apps.demo.seed import demo_results
from apps.reports import assessment as report_module
from apps.reports.pdf import GymFiles, RefusedResource, render_pdf
from apps.trainers.services.profile import certification_create
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory, UserFactory


def pdf_text(content, tmp_path, *args):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def assessed(in_gym_a):
    trainer = TrainerFactory(role=Role.TRAINER, user=UserFactory(full_name="Tara Coach", email="tara@alpha.example"))
    certification_create(actor=trainer, trainer=trainer, name="NSCA Certified Personal Trainer", issuing_body="NSCA",
                         earned_on=date(2020, 1, 1), expires_on=date(2030, 1, 1))  # fmt: skip
    client = ClientFactory(trainer=trainer, first_name="<img src=x>", last_name="Kim", sex="female",
                           date_of_birth=date(1990, 5, 14), weight_kg=Decimal("62"))  # fmt: skip
    first = assessment_create(actor=trainer, client=client, performed_at=timezone.now() - timedelta(days=90),
                              results=demo_results(0, 62))  # fmt: skip
    latest = assessment_create(actor=trainer, client=client, performed_at=timezone.now() - timedelta(days=1),
                               results=demo_results(1, 62))  # fmt: skip
    return {"trainer": trainer, "client": client, "first": first, "latest": latest}


def test_the_report_carries_the_client_the_trainer_and_every_score(assessed, client_a, tmp_path):
    client_a.login_as(assessed["trainer"])
    response = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="assessment-' in response["Content-Disposition"] and "-en.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    expected = ["<img src=x> Kim", "Tara Coach", "NSCA Certified Personal Trainer", "Fitness assessment", "Push-ups",
                "Sit-and-reach", "not a medical evaluation", "Scores over the last assessments"]  # fmt: skip
    for part in expected:
        assert part in text, part
    latest = assessed["latest"]
    assert str(latest.overall_score) in text
    for score in latest.category_scores().values():
        if score is not None:
            assert str(score) in text
    change = latest.overall_score - assessed["first"].overall_score
    assert f"{'+' if change > 0 else ''}{change} since the previous assessment" in text
    assert "Canadian Society for Exercise Physiology" in " ".join(text.split())  # a norm's citation


def test_a_korean_report_in_korean_with_embedded_fonts(assessed, client_a, tmp_path):
    client_a.login_as(assessed["trainer"])
    response = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": "ko"})
    text = pdf_text(response.content, tmp_path)
    assert "체력 평가" in text and "훈련 목적" in text
    (tmp_path / "report.pdf").write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts.stdout  # every font embedded and subset
    assert any("CJK" in row and "KR" in row for row in rows), fonts.stdout
    assert len(response.content) < 600_000  # subsets, not whole CJK fonts


def test_every_page_has_ink(assessed, client_a, tmp_path):
    client_a.login_as(assessed["trainer"])
    content = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": "en"}).content
    (tmp_path / "report.pdf").write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert pages
    for page in pages:
        _magic, size, _depth, pixels = page.read_bytes().split(b"\n", 3)
        width, height = (int(n) for n in size.split())
        body = pixels[: width * int(height * 0.88)]  # above the running footer, which every page has
        assert sum(1 for value in body if value < 170) > 50, page.name  # the page has content of its own


@pytest.mark.parametrize("language", ["en", "ko"])
def test_no_word_runs_outside_its_page(assessed, client_a, tmp_path, language):
    import re

    client_a.login_as(assessed["trainer"])
    content = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": language}).content
    boxes = pdf_text(content, tmp_path, "-bbox")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S)
    assert pages
    for width, height, words in pages:
        for x_min, y_min, x_max, y_max in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"', words
        ):
            assert float(x_min) >= 0 and float(x_max) <= float(width), (x_min, x_max, width)
            assert float(y_min) >= 0 and float(y_max) <= float(height), (y_min, y_max, height)


def test_an_unchanged_report_is_served_from_storage_and_a_change_draws_it_again(assessed, client_a):
    client_a.login_as(assessed["trainer"])
    url = reverse("assessment_report", args=[assessed["latest"].pk])
    with mock.patch("apps.reports.pdf.render_pdf", wraps=render_pdf) as drawn:
        first = client_a.get(url, {"language": "en"}).content
        again = client_a.get(url, {"language": "en"}).content
        assert drawn.call_count == 1 and first == again
        client_a.get(url, {"language": "ko"})
        assert drawn.call_count == 2  # another language, another file
        trainer = assessed["trainer"]
        trainer.phone = "+82 10 1234 5678"
        trainer.save(update_fields=["phone"])
        client_a.get(url, {"language": "en"})
        assert drawn.call_count == 3  # the trainer's shown profile changed
    kept = default_storage.listdir("reports/assessments")[1]
    assert any(name.startswith(f"{assessed['latest'].pk}-") for name in kept)


def test_the_trainers_photo_is_in_the_report(assessed, client_a, tmp_path, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from apps.trainers.services.profile import photo_set

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (15, 118, 110)).save(buffer, "PNG")
    trainer = assessed["trainer"]
    photo_set(actor=trainer, trainer=trainer, upload=SimpleUploadedFile("me.png", buffer.getvalue(), "image/png"))
    client_a.login_as(trainer)
    content = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": "en"}).content
    (tmp_path / "report.pdf").write_bytes(content)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "report.pdf")], check=True, capture_output=True,
                            text=True).stdout.splitlines()[2:]  # fmt: skip
    assert len(images) == 1, images


def test_only_those_who_may_open_the_assessment_get_its_report(assessed, client_a):
    url = reverse("assessment_report", args=[assessed["latest"].pk])
    client_a.login_as(TrainerFactory(role=Role.TRAINER))
    assert client_a.get(url).status_code == 404
    client_a.login_as(TrainerFactory(role=Role.OWNER))
    assert client_a.get(url).status_code == 200


def test_the_fetcher_serves_only_this_gyms_files(in_gym_a):
    fetcher = GymFiles()
    assert fetcher.fetch("https://report.invalid/static/css/report.css").status == 200
    refused_urls = [
        "file:///etc/passwd",
        "https://example.com/x.png",
        "https://report.invalid/static/../../x",
        "https://report.invalid/media/../gym_beta/trainers/1/x.jpg",
        "https://report.invalid/other",
    ]
    for refused in refused_urls:
        with pytest.raises((RefusedResource, ValueError)):
            fetcher.fetch(refused)


def test_a_document_that_names_a_local_file_renders_without_it(in_gym_a, tmp_path):
    content = render_pdf('<p>Safe</p><img src="file:///etc/hostname"><link rel="stylesheet" href="file:///etc/x.css">')
    assert "Safe" in pdf_text(content, tmp_path)


def test_the_report_module_has_a_version_for_its_template():
    assert report_module.TEMPLATE_VERSION


def test_the_next_assessment_and_a_note_go_into_the_report(assessed, client_a, tmp_path):
    client_a.login_as(assessed["trainer"])
    latest = assessed["latest"]
    day = (latest.performed_at + timedelta(days=90)).date()
    response = client_a.post(reverse("assessment_report_details", args=[latest.pk]),
                             {"reassess_on": day.isoformat(), "note": "Great work on the carries, Min!"})  # fmt: skip
    assert response.status_code == 302
    text = pdf_text(client_a.get(reverse("assessment_report", args=[latest.pk]), {"language": "en"}).content, tmp_path)
    assert f"{day.day} {day:%b %Y}" in text and "Great work on the carries" in text and "A note from Tara Coach" in text


def test_report_details_refused_at_their_fields_and_nothing_changes(assessed, client_a):
    client_a.login_as(assessed["trainer"])
    latest = assessed["latest"]
    too_early = latest.performed_at.date() - timedelta(days=3)
    response = client_a.post(reverse("assessment_report_details", args=[latest.pk]),
                             {"reassess_on": too_early.isoformat(), "note": "x" * 1001}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "Note for the client" in page and "1000" in page  # the note's error
    response = client_a.post(reverse("assessment_report_details", args=[latest.pk]),
                             {"reassess_on": too_early.isoformat(), "note": "ok"}, follow=True)  # fmt: skip
    assert "Choose a day after the assessment" in response.content.decode()
    latest.refresh_from_db()
    assert latest.reassess_on is None and latest.report_note == ""


def test_the_clients_report_language_is_remembered(assessed, client_a, tmp_path):
    client_a.login_as(assessed["trainer"])
    client = assessed["client"]
    url = reverse("assessment_report", args=[assessed["latest"].pk])
    assert "Fitness assessment" in pdf_text(client_a.get(url).content, tmp_path)  # the reader's language
    client_a.post(reverse("client_report_language", args=[client.pk]), {"language": "ko", "next": "/"})
    client.refresh_from_db()
    assert client.report_language == "ko"
    assert "체력 평가" in pdf_text(client_a.get(url).content, tmp_path)
    assert "Fitness assessment" in pdf_text(client_a.get(url, {"language": "en"}).content, tmp_path)  # one-off
    refused = client_a.post(reverse("client_report_language", args=[client.pk]), {"language": "fr"}, follow=True)
    assert refused.status_code == 200
    client.refresh_from_db()
    assert client.report_language == "ko"


def test_emailing_is_refused_without_an_address_or_consent_and_audited_when_sent(
    assessed, client_a, mailoutbox, django_capture_on_commit_callbacks
):
    from apps.audit.models import AuditEntry

    client_a.login_as(assessed["trainer"])
    client = assessed["client"]
    url = reverse("assessment_report_email", args=[assessed["latest"].pk])
    client.email, client.consent_at = "", None
    client.save()
    page = client_a.post(url, follow=True).content.decode()
    assert "This client has no e-mail address" in page
    client.email = "ara@example.com"
    client.save()
    assert "has not given consent yet" in client_a.post(url, follow=True).content.decode()
    assert not AuditEntry.objects.filter(action="assessment.report_email").exists() and mailoutbox == []
    client.consent_at = timezone.now()
    client.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(url, {"language": "ko"})
    assert AuditEntry.objects.filter(action="assessment.report_email").count() == 1
    (message,) = mailoutbox
    assert message.to == ["ara@example.com"] and message.reply_to == ["tara@alpha.example"]
    (name, content, mime), *_ = message.attachments
    assert mime == "application/pdf" and name.endswith("-ko.pdf") and content.startswith(b"%PDF")


def test_the_gyms_branding_logo_colour_and_paper(assessed, client_a, tmp_path, settings):
    import io

    from django.core.files.base import ContentFile
    from django.db import connection
    from PIL import Image

    from tenants.models import Organization

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 100), (200, 30, 30, 255)).save(buffer, "PNG")
    name = default_storage.save("branding/logo-test.png", ContentFile(buffer.getvalue()))
    Organization.objects.filter(pk=connection.tenant.pk).update(logo=name, accent_colour="#aa0000", paper_size="letter")
    client_a.login_as(assessed["trainer"])
    content = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": "en"}).content
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "612 x 792 pts" in info  # US Letter
    images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert len(images.splitlines()[2:]) >= 1  # the logo


def test_weasyprint_does_not_make_uploads_accept_truncated_images():
    from PIL import ImageFile

    import apps.reports.pdf  # noqa: F401 (importing WeasyPrint is what used to flip the flag)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_report_that_fails_to_draw_tells_the_user_and_keeps_nothing(assessed, client_a):
    from apps.reports.pdf import HTML

    client_a.login_as(assessed["trainer"])
    url = reverse("assessment_report", args=[assessed["latest"].pk])
    with mock.patch.object(HTML, "write_pdf", side_effect=RuntimeError("cairo exploded")):
        response = client_a.get(url, {"language": "en"}, follow=True)
    assert response.status_code == 200 and "could not be drawn" in response.content.decode()
    stored = default_storage.listdir("reports/assessments")[1] if default_storage.exists("reports/assessments") else []
    assert not [name for name in stored if name.startswith(f"{assessed['latest'].pk}-")]
    assert client_a.get(url, {"language": "en"}).content.startswith(b"%PDF")  # and works again afterwards


def test_the_reports_tasks_have_time_limits():
    from django.conf import settings

    from apps.reports.tasks import send_assessment_report

    assert send_assessment_report.soft_time_limit and send_assessment_report.time_limit
    assert settings.CELERY_WORKER_MAX_TASKS_PER_CHILD > 0


def test_the_compare_page_offers_each_assessments_report(assessed, client_a):
    client_a.login_as(assessed["trainer"])
    first, latest = assessed["first"], assessed["latest"]
    page = client_a.get(
        reverse("assessment_compare", args=[assessed["client"].pk]), {"ids": [first.pk, latest.pk]}
    ).content.decode()
    for assessment in (first, latest):
        assert reverse("assessment_report", args=[assessment.pk]) in page


def test_the_report_words_scores_like_the_pages(assessed, client_a, tmp_path):
    """Measured values, the rating with its group, and the points apart; the norm named in plain words."""
    client_a.login_as(assessed["trainer"])
    content = client_a.get(reverse("assessment_report", args=[assessed["latest"].pk]), {"language": "en"}).content
    text = " ".join(pdf_text(content, tmp_path).split())
    push = assessed["latest"].results.get(test_type="push_ups")
    assert f"{push.raw_values['reps']} repetitions, on the toes" in text
    assert "for women 30–39, push-ups on the knees" in text
    assert "Done on the toes: the published women's norms are for push-ups on the knees only" in text
    assert f"{push.score} points" in text
    assert "Canadian fitness norms (CSEP) for push-ups, by age and sex" in text
    assert "Below the norm" not in text and "scored against the knee push-up norms" not in text
