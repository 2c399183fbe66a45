"""Client pages for each role: list (search, filters, sort, query count), page, forms, 404s, CSV, JSON, erase."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.assessments.models import Assessment, TestResult
from apps.assessments.services import assessment_create, test_result_override
from apps.audit.models import AuditEntry
from apps.clients.csv_io import MAX_ROWS, import_clients
from apps.clients.models import SCREENING_KEYS, Client, ClientStatus
from apps.clients.services import client_create, screening_update
from apps.core.csv_export import safe_cell
from apps.core.dates import gym_today
from apps.core.errors import ApplicationError
from tenants.models import Role
from tests.factories import PaymentFactory, SessionFactory, SessionPackageFactory
from tests.support import in_gym, member


def add(organization, actor, **fields):
    return in_gym(organization, client_create, actor=actor, **{"first_name": "Ann", **fields})


def names(response):
    return [str(client) for client in response.context["clients"]]


# --- list -------------------------------------------------------------------------------------------------------


def test_the_owner_sees_every_client_a_trainer_only_theirs(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    tara = member(gym_a, Role.TRAINER)
    sam = member(gym_a, Role.SENIOR)
    add(gym_a, tara, first_name="Tara's", last_name="Client")
    add(gym_a, sam, first_name="Sam's", last_name="Client")
    assert names(client_a.login_as(owner).get("/clients/")) == ["Sam's Client", "Tara's Client"]
    assert names(client_a.login_as(tara).get("/clients/")) == ["Tara's Client"]
    assert names(client_a.login_as(sam).get("/clients/")) == ["Sam's Client"]
    assistant = member(gym_a, Role.ASSISTANT)  # assists nobody yet: sees no client
    assert names(client_a.login_as(assistant).get("/clients/")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Jose", ["José Alvarez"]),
        ("MÜLLER", ["Anna Müller"]),
        ("muller", ["Anna Müller"]),
        ("김", ["김민지"]),
        ("민지", ["김민지"]),
        ("ANNA@EX", ["Anna Müller"]),
        ("010-5555", ["김민지"]),
        ("0105555", ["김민지"]),
        ("nobody", []),
    ],
)
def test_search_ignores_accents_and_case(gym_a, client_a, query, expected):
    trainer = member(gym_a, Role.TRAINER)
    add(gym_a, trainer, first_name="José", last_name="Alvarez", email="jose@example.com")
    add(gym_a, trainer, first_name="Anna", last_name="Müller", email="anna@example.com")
    add(gym_a, trainer, first_name="김민지", last_name="", phone="010-5555-1234")
    response = client_a.login_as(trainer).get("/clients/", {"q": query})
    assert names(response) == expected


def test_filters_and_sorts(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    tara = member(gym_a, Role.TRAINER)
    today = gym_today()
    young = add(gym_a, tara, first_name="Young", date_of_birth=today.replace(year=today.year - 20))
    old = add(gym_a, owner, first_name="Old", date_of_birth=today.replace(year=today.year - 60))
    add(gym_a, owner, first_name="Nobirth")
    archived = add(gym_a, owner, first_name="Gone")
    connection.set_tenant(gym_a)
    Client.objects.filter(pk=archived.pk).update(status=ClientStatus.ARCHIVED)
    SessionPackageFactory(client=young)
    SessionPackageFactory(client=old, expires_on=today - timedelta(days=1))  # expired: not active
    connection.set_schema_to_public()
    client_a.login_as(owner)
    assert names(client_a.get("/clients/", {"sort": "name"})) == ["Nobirth", "Old", "Young"]
    assert names(client_a.get("/clients/", {"sort": "age"})) == ["Young", "Old", "Nobirth"]
    assert names(client_a.get("/clients/", {"sort": "-age"})) == ["Old", "Young", "Nobirth"]
    assert names(client_a.get("/clients/", {"status": "archived"})) == ["Gone"]
    assert sorted(names(client_a.get("/clients/", {"status": ""}))) == ["Gone", "Nobirth", "Old", "Young"]
    assert names(client_a.get("/clients/", {"trainer": tara.pk})) == ["Young"]
    assert names(client_a.get("/clients/", {"age_min": 20, "age_max": 20})) == ["Young"]
    assert names(client_a.get("/clients/", {"age_min": 21})) == ["Old"]
    assert names(client_a.get("/clients/", {"age_max": 19})) == []
    assert names(client_a.get("/clients/", {"package": "1"})) == ["Young"]
    assert sorted(names(client_a.get("/clients/", {"package": "0"}))) == ["Nobirth", "Old"]
    # bad values are ignored, never an error page
    assert client_a.get("/clients/", {"age_min": "x", "trainer": "999999", "sort": "evil"}).status_code == 200


def overall_of(assessment, score):
    """Pin an assessment's overall score (the engine's figures are tested in tests/assessments)."""
    Assessment.objects.filter(pk=assessment.pk).update(overall_score=score)


def test_the_latest_overall_score_band_filter_and_column(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    clients = {name: add(gym_a, trainer, first_name=name, date_of_birth="1990-01-01") for name in "ABCDEF"}
    connection.set_tenant(gym_a)
    now = timezone.now()

    def assess(name, score, days_ago):
        assessment = assessment_create(
            actor=trainer,
            client=clients[name],
            performed_at=now - timedelta(days=days_ago),
            results={"push_ups": {"raw": {"reps": 20}}},
        )
        overall_of(assessment, score)

    assess("A", 95, 30)
    assess("A", 39, 1)  # the latest counts: 39 is the top of 0-39
    assess("B", 40, 2)
    assess("C", 79, 2)
    assess("D", 80, 2)
    assess("E", None, 2)  # nothing scored: counts as not assessed
    connection.set_schema_to_public()
    client_a.login_as(trainer)
    assert names(client_a.get("/clients/", {"score": "0-39"})) == ["A"]
    assert names(client_a.get("/clients/", {"score": "40-59"})) == ["B"]
    assert names(client_a.get("/clients/", {"score": "60-79"})) == ["C"]
    assert names(client_a.get("/clients/", {"score": "80-100"})) == ["D"]
    assert names(client_a.get("/clients/", {"score": "none"})) == ["E", "F"]
    assert len(names(client_a.get("/clients/", {"score": "evil"}))) == 6
    response = client_a.get("/clients/")
    assert [client.latest_overall for client in response.context["clients"]] == [39, 40, 79, 80, None, None]
    assert "<strong>79</strong>" in response.content.decode()


@pytest.mark.parametrize("role", [Role.OWNER, Role.TRAINER])
def test_the_list_costs_the_same_queries_with_3_and_30_clients(gym_a, client_a, role):
    actor = member(gym_a, role)
    client_a.login_as(actor)

    def fill(count):
        connection.set_tenant(gym_a)
        for index in range(count):
            client = client_create(actor=actor, first_name=f"C{index}", date_of_birth="1990-01-01")
            SessionPackageFactory(client=client)
            for days_ago in (1, 2):
                assessment = assessment_create(
                    actor=actor,
                    client=client,
                    performed_at=timezone.now() - timedelta(days=days_ago),
                    results={"push_ups": {"raw": {"reps": 20}}},
                )
                overall_of(assessment, 70)
        connection.set_schema_to_public()

    def measure():
        client_a.get("/clients/")  # warm the host and session caches
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get("/clients/", {"q": "c", "sort": "age", "score": "60-79"})
        assert response.status_code == 200
        assert all(client.latest_overall == 70 for client in response.context["clients"])
        return len(queries), len(response.context["clients"])

    fill(3)
    small, rows = measure()
    assert rows == 3
    fill(27)
    large, rows = measure()
    assert rows == 25  # one page
    assert small == large
    # search_path, session, user, trainer, row count, page of rows (+ the owner's trainer filter choices and the
    # switcher's list of trainers)
    assert large == (8 if role == Role.OWNER else 6)


# --- client page ------------------------------------------------------------------------------------------------


def test_the_client_page_shows_details_screening_warning_timeline_and_is_audited(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER, public_name="Tara")
    client = add(
        gym_a, trainer, first_name="Min", last_name="Kim", date_of_birth="1990-01-01", height_cm=180, weight_kg=81
    )
    connection.set_tenant(gym_a)
    screening_update(
        actor=trainer,
        client=client,
        answers={**dict.fromkeys(SCREENING_KEYS, False), "chest_pain": True},
        consent=True,
    )
    package = SessionPackageFactory(client=client, name="Ten pack")
    SessionFactory(client=client, package=package)
    PaymentFactory(package=package, amount=250)
    connection.set_schema_to_public()
    response = client_a.login_as(trainer).get(f"/clients/{client.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Needs medical clearance." in html
    assert "25.0 kg/m²" in html
    assert "Overweight" in html
    assert "Tara" in html
    assert "Ten pack (10 sessions)" in html
    assert "$250.00" in html
    # newest first: the session is tomorrow, the payment came after the sale of the package
    assert [kind for _when, kind, _item in response.context["timeline"]] == ["session", "payment", "package"]
    connection.set_tenant(gym_a)
    assert AuditEntry.objects.filter(action="client.view", target_id=str(client.pk), actor_id=trainer.pk).count() == 1


def test_another_trainers_client_and_another_gyms_id_answer_404(gym_a, gym_b, client_a):
    tara = member(gym_a, Role.TRAINER)
    other = member(gym_a, Role.TRAINER)
    theirs = add(gym_a, other)
    b_owner = member(gym_b, Role.OWNER)
    b_client = add(gym_b, b_owner)
    client_a.login_as(tara)
    for path in ["/", "/edit/", "/screening/"]:
        assert client_a.get(f"/clients/{theirs.pk}{path}").status_code == 404
    for path in ["/data.json", "/erase/"]:  # the owner's pages: not for a trainer's role, whoever the client
        assert client_a.get(f"/clients/{theirs.pk}{path}").status_code == 403
    assert client_a.post(f"/clients/{theirs.pk}/archive/").status_code == 404
    owner = member(gym_a, Role.OWNER)
    client_a.login_as(owner)
    if not in_gym(gym_a, Client.objects.filter(pk=b_client.pk).exists):
        assert client_a.get(f"/clients/{b_client.pk}/").status_code == 404
    assert client_a.get("/clients/987654/").status_code == 404
    assert client_a.get(f"/clients/{theirs.pk}/").status_code == 200


def test_create_edit_archive_unarchive_through_the_pages(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    client_a.login_as(trainer)
    refused = client_a.post("/clients/new/", {"first_name": "Ann", "sex": "female", "height_cm": "0"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"height_cm": ["Enter a value from 50 to 272 cm."]}
    future = (gym_today() + timedelta(days=2)).isoformat()
    refused = client_a.post("/clients/new/", {"first_name": "Ann", "sex": "female", "date_of_birth": future})
    assert refused.context["form"].errors == {"date_of_birth": ["The date of birth cannot be in the future."]}
    response = client_a.post("/clients/new/", {"first_name": "Ann", "last_name": "Lee", "sex": "female"})
    client = in_gym(gym_a, Client.objects.get)
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{client.pk}/"
    response = client_a.post(f"/clients/{client.pk}/edit/", {"first_name": "Anne", "last_name": "Lee", "sex": "female"})
    assert response.status_code == 302
    client_a.post(f"/clients/{client.pk}/archive/")
    assert in_gym(gym_a, Client.objects.get).status == ClientStatus.ARCHIVED
    client_a.post(f"/clients/{client.pk}/unarchive/")
    client = in_gym(gym_a, Client.objects.get)
    assert (client.first_name, client.status) == ("Anne", ClientStatus.ACTIVE)


def test_the_owner_creates_a_client_for_a_trainer(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    trainer = member(gym_a, Role.TRAINER)
    client_a.login_as(owner)
    response = client_a.post("/clients/new/", {"trainer": trainer.pk, "first_name": "Ann", "sex": "not_stated"})
    assert response.status_code == 302
    assert in_gym(gym_a, Client.objects.get).trainer_id == trainer.pk


def test_screening_page(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    client = add(gym_a, trainer)
    client_a.login_as(trainer)
    answers = dict.fromkeys(SCREENING_KEYS, "no")
    refused = client_a.post(f"/clients/{client.pk}/screening/", answers)
    assert refused.status_code == 400
    assert refused.context["form"].errors["consent"] == ["The client must consent to the screening being recorded."]
    response = client_a.post(f"/clients/{client.pk}/screening/", {**answers, "bone_joint": "yes", "consent": "on"})
    assert response.status_code == 302
    client = in_gym(gym_a, Client.objects.get)
    assert client.needs_medical_clearance is True
    assert client.consent_at is not None


# --- CSV --------------------------------------------------------------------------------------------------------


def upload(text, name="clients.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_csv_import_keeps_valid_rows_and_reports_rejected_ones(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    text = (
        "first_name,last_name,date_of_birth,height_cm,weight_kg,email,phone\n"
        "José,Alvarez,1990-01-02,180,80,jose@example.com,010-1\n"
        ",NoFirst,,,,,\n"
        "Ann,Tall,,0,,,\n"
        "Bob,Future,2999-01-01,,,,\n"
        "Cy,Mail,,,,not-an-email,\n"
        "\n"
        "김민지,,,165,55.5,,\n"
    )
    response = client_a.login_as(trainer).post("/clients/import/", {"file": upload(text)})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.created == 2
    assert report.rejected == [
        (3, "First name: This field is required."),
        (4, "Height (cm): Enter a value from 50 to 272 cm."),
        (5, "Date of birth: The date of birth cannot be in the future."),
        (6, "Email: Enter a valid email address."),
    ]
    assert sorted(in_gym(gym_a, lambda: list(Client.objects.values_list("first_name", flat=True)))) == [
        "José",
        "김민지",
    ]
    assert "Height (cm): Enter a value from 50 to 272 cm." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("first_name\nJosé\n".encode("latin-1"), "not UTF-8"),
        (b"name,email\nA,b@example.com\n", "header with at least first_name"),
        (b"first_name,shoe_size\nA,42\n", "Unknown columns: shoe_size"),
        (("first_name\n" + "A\n" * (MAX_ROWS + 1)).encode(), f"more than {MAX_ROWS} rows"),
        (b"first_name\n" + b"A" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_csv_import_refuses_a_bad_file_with_a_clear_message(gym_a, client_a, content, message):
    trainer = member(gym_a, Role.TRAINER)
    file = SimpleUploadedFile("c.csv", content, content_type="text/csv")
    response = client_a.login_as(trainer).post("/clients/import/", {"file": file})
    assert response.status_code == 400
    assert message in response.context["form"].errors["file"][0]
    assert not in_gym(gym_a, Client.objects.exists)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+82 10", "'+82 10"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann", "Ann"),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_export_respects_visibility_and_filters_and_escapes_formulas(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    other = member(gym_a, Role.TRAINER)
    add(gym_a, trainer, first_name='=HYPERLINK("x")', last_name="Evil", phone="+1 555")
    add(gym_a, trainer, first_name="Zed")
    add(gym_a, other, first_name="Hidden")
    response = client_a.login_as(trainer).get("/clients/export.csv", {"q": "evil"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["first_name", "last_name", "date_of_birth"]
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][7] == "'+1 555"
    entry = in_gym(gym_a, AuditEntry.objects.get, action="client.export_csv")
    assert (entry.actor_id, entry.sentence) == (trainer.pk, "1 client exported to CSV.")
    assert entry.changes == {"filters": {"query": "evil", "status": "active"}}


# --- owner only: JSON export and erase --------------------------------------------------------------------------


def test_the_owner_exports_everything_about_a_client(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    trainer = member(gym_a, Role.TRAINER)
    client = add(gym_a, trainer, first_name="Min", email="min@example.com")
    connection.set_tenant(gym_a)
    package = SessionPackageFactory(client=client)
    SessionFactory(client=client, package=package)
    PaymentFactory(package=package, amount=100)
    assessment = assessment_create(
        actor=trainer,
        client=client,
        performed_at=timezone.now() - timedelta(days=1),
        results={"push_ups": {"raw": {"reps": 25}}},
        age=30,
        sex="female",
        notes="Felt fine",
    )
    connection.set_schema_to_public()
    assert client_a.login_as(trainer).get(f"/clients/{client.pk}/data.json").status_code == 403
    response = client_a.login_as(owner).get(f"/clients/{client.pk}/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="client-{client.pk}.json"'
    data = json.loads(response.content)
    assert data["client"]["email"] == "min@example.com"
    assert (len(data["sessions"]), len(data["packages"]), len(data["payments"])) == (1, 1, 1)
    assert Decimal(data["payments"][0]["amount"]) == Decimal(100)
    [exported] = data["assessments"]
    assert (exported["id"], exported["notes"], exported["scoring_version"]) == (
        assessment.pk,
        "Felt fine",
        assessment.scoring_version,
    )
    assert exported["scores"]["overall"] == assessment.overall_score
    assert [result["test_type"] for result in exported["results"]] == ["push_ups"]
    assert [entry["action"] for entry in data["audit"]] == ["client.create", "client.export"]


def test_the_owner_erases_a_client_once_and_the_records_stay(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    trainer = member(gym_a, Role.TRAINER)
    client = add(gym_a, trainer, first_name="Min", email="min@example.com")
    connection.set_tenant(gym_a)
    SessionFactory(client=client)
    assessment = assessment_create(
        actor=trainer,
        client=client,
        performed_at=timezone.now() - timedelta(days=1),
        results={"push_ups": {"raw": {"reps": 25}}},
        age=30,
        sex="female",
        notes="Min mentioned her knee",
    )
    test_result_override(actor=trainer, result=assessment.results.get(), score=50, reason="Min was tired")
    overall = Assessment.objects.get().overall_score
    connection.set_schema_to_public()
    assert client_a.login_as(trainer).post(f"/clients/{client.pk}/erase/", {"confirm": "ERASE"}).status_code == 403
    client_a.login_as(owner)
    assert client_a.post(f"/clients/{client.pk}/erase/", {"confirm": "no"}).status_code == 400
    response = client_a.post(f"/clients/{client.pk}/erase/", {"confirm": "erase"})
    assert response.status_code == 302
    erased = in_gym(gym_a, Client.objects.get)
    assert (erased.first_name, erased.email, erased.erased_at is not None) == (f"Erased client #{client.pk}", "", True)
    assert in_gym(gym_a, erased.sessions.count) == 1
    # the assessment stays with its scores; its free text, which may name the person, is erased
    kept = in_gym(gym_a, Assessment.objects.get)
    result = in_gym(gym_a, TestResult.objects.get)
    assert (kept.notes, kept.overall_score) == ("", overall)
    assert (result.override_score, result.override_reason) == (50, "(erased)")
    client_a.post(f"/clients/{client.pk}/erase/", {"confirm": "ERASE"})
    assert in_gym(gym_a, AuditEntry.objects.filter(action="client.erase").count) == 1


@pytest.mark.parametrize("role", [Role.OWNER, Role.SENIOR, Role.TRAINER])
def test_every_page_renders_for_each_role_that_has_clients(gym_a, client_a, role):
    actor = member(gym_a, role)
    client = add(gym_a, actor, last_name="Lee", date_of_birth="1985-02-03", height_cm=170, weight_kg=70)
    client_a.login_as(actor)
    pages = ["/clients/", "/clients/new/", "/clients/import/", f"/clients/{client.pk}/"]
    pages += [f"/clients/{client.pk}/edit/", f"/clients/{client.pk}/screening/"]
    for page in pages:
        response = client_a.get(page)
        assert response.status_code == 200, page
    html = client_a.get(f"/clients/{client.pk}/").content.decode()
    assert ("Export data (JSON)" in html) is (role == Role.OWNER)
    assert ("/erase/" in html) is (role == Role.OWNER)
    assert client_a.get(f"/clients/{client.pk}/erase/").status_code == (200 if role == Role.OWNER else 403)
    assert 'href="/clients/"' in client_a.get("/").content.decode()


def test_an_assistant_who_assists_nobody_sees_no_client(gym_a, client_a):
    assistant = member(gym_a, Role.ASSISTANT)
    client = add(gym_a, member(gym_a, Role.TRAINER))
    client_a.login_as(assistant)
    assert names(client_a.get("/clients/")) == []
    for page in ["/clients/new/", "/clients/import/"]:
        assert client_a.get(page).status_code == 403, page
    assert client_a.get(f"/clients/{client.pk}/").status_code == 404
    assert client_a.get("/clients/export.csv").content.decode().count("\n") == 1  # the header only


def test_an_erased_client_page_shows_no_edit_buttons(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    client = add(gym_a, owner, date_of_birth="1980-06-01")
    client_a.login_as(owner)
    client_a.post(f"/clients/{client.pk}/erase/", {"confirm": "ERASE"})
    html = client_a.get(f"/clients/{client.pk}/").content.decode()
    assert f"Erased client #{client.pk}" in html
    assert "born 1980" in html
    assert f"/clients/{client.pk}/edit/" not in html
    assert client_a.get(f"/clients/{client.pk}/edit/").status_code == 404


def test_the_owner_imports_for_a_trainer_and_a_row_with_extra_cells_is_rejected(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    trainer = member(gym_a, Role.TRAINER)
    text = "first_name,email,sex\nAnn,ann@example.com,F\nBob,bob@example.com,M,extra\nCy,,other\n"
    response = client_a.login_as(owner).post("/clients/import/", {"trainer": trainer.pk, "file": upload(text)})
    assert response.context["report"].created == 1
    assert response.context["report"].rejected == [
        (3, "This row has more cells than the header."),
        (4, "Sex: Choose female, male or not stated."),
    ]
    client = in_gym(gym_a, Client.objects.get)
    assert (client.trainer_id, client.sex) == (trainer.pk, "female")


def test_the_client_page_costs_the_same_queries_with_3_and_30_timeline_rows(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    client = add(gym_a, trainer)
    client_a.login_as(trainer)

    def fill(count):
        connection.set_tenant(gym_a)
        for _index in range(count):
            package = SessionPackageFactory(client=client)
            SessionFactory(client=client, package=package)
            PaymentFactory(package=package)
        connection.set_schema_to_public()

    def measure():
        client_a.get(f"/clients/{client.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(f"/clients/{client.pk}/").status_code == 200
        return len(queries)

    fill(1)
    small = measure()
    fill(29)
    assert measure() == small


def test_the_owner_edits_a_client_of_a_deactivated_trainer_without_moving_them(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    gone = member(gym_a, Role.TRAINER)
    client = add(gym_a, gone)
    connection.set_tenant(gym_a)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    connection.set_schema_to_public()
    client_a.login_as(owner)
    form = client_a.get(f"/clients/{client.pk}/edit/").context["form"]
    assert gone.pk in in_gym(gym_a, lambda: [trainer.pk for trainer in form.fields["trainer"].queryset])
    data = {"trainer": gone.pk, "first_name": "Renamed", "sex": "not_stated"}
    assert client_a.post(f"/clients/{client.pk}/edit/", data).status_code == 302
    client = in_gym(gym_a, Client.objects.get)
    assert (client.first_name, client.trainer_id) == ("Renamed", gone.pk)


def test_the_owner_cannot_import_clients_for_an_assistant(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    member(gym_a, Role.ASSISTANT)
    connection.set_tenant(gym_a)
    assistant = type(owner).objects.get(role=Role.ASSISTANT)
    with pytest.raises(ApplicationError, match="Assistants cannot own clients") as refused:
        import_clients(actor=owner, upload=upload("first_name\nAnn\n"), trainer=assistant)
    assert refused.value.field == "trainer"
    assert not Client.objects.exists()
    connection.set_schema_to_public()


# --- assessments on the client page -----------------------------------------------------------------------------


def assess_days_ago(actor, client, days_ago, results=None):
    return assessment_create(
        actor=actor,
        client=client,
        performed_at=timezone.now() - timedelta(days=days_ago),
        results=results or {"push_ups": {"raw": {"reps": 20}}, "step_test": {"raw": {"recovery_hr_bpm": 90}}},
    )


def test_the_client_page_shows_assessments_in_the_timeline_and_a_progress_chart(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER, public_name="Tara")
    client = add(gym_a, trainer, first_name="Min", date_of_birth="1990-01-01", sex="female")
    connection.set_tenant(gym_a)
    first = assess_days_ago(trainer, client, 20)
    second = assess_days_ago(trainer, client, 10, results={"step_test": {"raw": {"recovery_hr_bpm": 80}}})
    connection.set_schema_to_public()
    response = client_a.login_as(trainer).get(f"/clients/{client.pk}/")
    html = response.content.decode()
    assert f'href="/assessments/client/{client.pk}/new/"' in html
    assert f'href="/assessments/client/{client.pk}/"' in html
    assert [(kind, item.pk) for _when, kind, item in response.context["timeline"]] == [
        ("assessment", second.pk),
        ("assessment", first.pk),
    ]
    assert f"Overall score {first.overall_score} · by Tara" in html
    assert f'href="/assessments/{second.pk}/"' in html
    # the chart: an SVG with a title and a description, a legend and the numbers as a table
    chart = response.context["progress"]
    assert '<svg viewBox="0 0 720 300"' in html and 'role="img"' in html
    assert '<title id="progress-title">Progress of the assessment scores</title>' in html
    assert "of 2 assessments from" in html
    assert [series["label"] for series in chart["series"]] == ["Overall", "Strength", "Mobility", "Balance", "Cardio"]
    strength = chart["series"][1]
    assert [point["value"] for point in strength["points"]] == [first.strength_score]
    assert strength["lines"] == []  # one point: no line invented across the assessment without it
    overall = chart["series"][0]
    assert [point["value"] for point in overall["points"]] == [first.overall_score, second.overall_score]
    assert len(overall["lines"]) == 1
    assert overall["points"][0]["x"] == 40 and overall["points"][1]["x"] == 700  # the first and the last date
    assert [row["overall"] for row in chart["rows"]] == [first.overall_score, second.overall_score]
    assert '<table class="visually-hidden">' in html and "not measured" in html


def test_the_client_page_without_assessments_says_so(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    client = add(gym_a, trainer)
    response = client_a.login_as(trainer).get(f"/clients/{client.pk}/")
    assert response.context["progress"] is None
    assert "the chart of the scores appears after the first one" in response.content.decode()


def test_an_erased_client_gets_no_new_assessment_button(gym_a, client_a):
    owner = member(gym_a, Role.OWNER)
    client = add(gym_a, owner, date_of_birth="1990-01-01")
    client_a.login_as(owner)
    client_a.post(f"/clients/{client.pk}/erase/", {"confirm": "ERASE"})
    html = client_a.get(f"/clients/{client.pk}/").content.decode()
    assert f"/assessments/client/{client.pk}/new/" not in html


def test_the_client_page_costs_the_same_queries_with_3_and_30_assessments(gym_a, client_a):
    trainer = member(gym_a, Role.TRAINER)
    client = add(gym_a, trainer, date_of_birth="1990-01-01")
    client_a.login_as(trainer)

    def fill(start, end):
        connection.set_tenant(gym_a)
        for day in range(start, end):
            assess_days_ago(trainer, client, day + 1)
        connection.set_schema_to_public()

    def measure():
        client_a.get(f"/clients/{client.pk}/")
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get(f"/clients/{client.pk}/")
        assert response.status_code == 200
        return len(queries), response

    fill(0, 3)
    small, response = measure()
    assert response.context["progress"]["count"] == 3
    fill(3, 30)
    large, response = measure()
    assert response.context["progress"]["count"] == 30
    assert sum(kind == "assessment" for _when, kind, _item in response.context["timeline"]) == 30
    assert small == large
