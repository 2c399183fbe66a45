"""The audit log page and its CSV: the same entries with the same sentences, made when read, in the reader's
language (Korean for a Korean owner, English for an English one), whoever wrote them; queries constant in rows."""

import csv
import html
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.audit.models import AuditEntry
from apps.clients.services import client_create
from apps.team.services import trainer_change_role
from apps.trainers.services.specialties import specialty_create
from apps.training.services.packages import package_sell
from apps.training.services.sessions import session_cancel, session_schedule
from tenants.models import Role
from tests.factories import TrainerFactory

from .korean import STAND_IN, stand_in_korean


@pytest.fixture
def owner(in_gym_a):
    return TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner")


def write_log(owner, rounds=1):
    """What an English-speaking trainer and the owner do, written while English is active."""
    with translation.override("en"):
        for number in range(rounds):
            tom = TrainerFactory(role=Role.TRAINER, user__full_name=f"Tom Trainer {number}")
            client = client_create(actor=tom, first_name="Cora", last_name=f"Client {number}")
            package = package_sell(actor=tom, client=client, name="10 x PT", total_sessions=10, price=Decimal("500"))
            session = session_schedule(
                actor=tom,
                client=client,
                starts_at=timezone.now() + timedelta(days=3),
                duration_minutes=60,
                package=package,
                confirm_unavailable=True,
            )
            session_cancel(actor=tom, session=session, by_trainer=True)
            specialty_create(actor=owner, name=f"Rehab {number}")
            trainer_change_role(actor=owner, trainer=tom, role=Role.SENIOR)


def csv_sentences(response):
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [row[4] for row in rows[1:]], [row[2] for row in rows[1:]]


def expected_sentences(language):
    entries = list(AuditEntry.objects.order_by("-created_at", "-id"))
    with translation.override(language):
        return [entry.sentence for entry in entries], [entry.action for entry in entries]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_page_and_csv_show_the_same_sentences_in_the_reader_s_language(owner, client_a, language):
    write_log(owner)
    connection.set_tenant(client_a.organization)
    with stand_in_korean():
        sentences, actions = expected_sentences(language)
    connection.set_schema_to_public()
    assert len(sentences) == 6 and all(sentences)
    english = [
        "Client of Tom Trainer 0 added.",
        "Package sold to Cora Client 0: 10 sessions for ",
        "Cancelled by the trainer: no credit used.",
        "Specialty “Rehab 0” added.",
        "Role changed from Trainer to Senior.",
    ]
    joined = "\n".join(sentences)
    if language == "en":
        assert all(words in joined for words in english)
    else:  # the English trainer's entries read in Korean: made now, not when written
        assert not any(words in joined for words in english)
        assert "Tom Trainer 0" in joined and "Cora Client 0" in joined  # names stay as they were
        with translation.override("ko"):
            assert str(Role.SENIOR.label) in joined and str(Role.SENIOR.label) != "Senior"

    client_a.login_as(owner)
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with stand_in_korean():
        page = client_a.get("/team/audit/")
        export = client_a.get("/team/audit/export.csv")
    assert page.status_code == 200 and export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    content = html.unescape(page.content.decode())
    positions = [content.index(sentence) for sentence in sentences]
    assert positions == sorted(positions), "the page lists them newest first"
    headers, exported, exported_actions = csv_sentences(export)
    assert (exported, exported_actions) == (sentences, actions)
    with translation.override(language):
        assert headers[4] == translation.gettext("Summary")


def test_the_csv_keeps_the_page_s_filters_and_is_the_owner_s(owner, client_a):
    write_log(owner)
    connection.set_schema_to_public()
    client_a.login_as(owner)
    _headers, sentences, actions = csv_sentences(client_a.get("/team/audit/export.csv", {"action": "session.cancel"}))
    assert (sentences, actions) == (["Cancelled by the trainer: no credit used."], ["session.cancel"])
    connection.set_tenant(client_a.organization)
    trainer = TrainerFactory(role=Role.TRAINER)
    connection.set_schema_to_public()
    client_a.login_as(trainer)
    assert client_a.get("/team/audit/export.csv").status_code == 403


@pytest.mark.parametrize("rounds", [1, 5])
def test_page_and_csv_queries_do_not_grow_with_the_rows(owner, client_a, rounds):
    write_log(owner, rounds)
    connection.set_schema_to_public()
    client_a.login_as(owner)
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    counts = []
    for path in ("/team/audit/", "/team/audit/export.csv"):
        client_a.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(path).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts == [9, 7], counts


def test_the_stand_in_is_only_for_what_has_no_korean(in_gym_a):
    with stand_in_korean(), translation.override("ko"):
        sold = AuditEntry(
            event="package.sell", params={"client": "C", "sessions": 2, "gross": {"amount": "1", "currency": "KRW"}}
        )
        completed = AuditEntry(event="session.complete", params={})
        assert sold.sentence.startswith(STAND_IN) or "Package" not in sold.sentence
        assert not completed.sentence.startswith(STAND_IN) and completed.sentence != "Completed."
    with translation.override("en"):
        assert sold.sentence == "Package sold to C: 2 sessions for ₩1."
