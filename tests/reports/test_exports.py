"""The owner's batch export: one ZIP with the latest report of every client assessed in a period, its progress,
who may see it, and its expiry."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from apps.assessments.services import assessment_create
from apps.core.dates import gym_today
from apps.demo.seed import demo_results
from apps.reports.models import ExportStatus, ReportExport
from apps.reports.services import report_exports_expire
from apps.reports.tasks import build_report_export
from tenants.models import Role
from tests.factories import ClientFactory, TrainerFactory


@pytest.fixture
def gym(in_gym_a):
    owner = TrainerFactory(role=Role.OWNER)
    tom, una = TrainerFactory(role=Role.TRAINER), TrainerFactory(role=Role.TRAINER)
    now = timezone.now()
    made = {}
    for coach, names in ((tom, ["Ada", "Ben"]), (una, ["Cy"])):
        for name in names:
            client = ClientFactory(trainer=coach, first_name=name, last_name="Test", weight_kg=Decimal("70"))
            for days_ago, progress in ((40, 0), (5, 1)):
                made[(name, days_ago)] = assessment_create(
                    actor=coach, client=client, performed_at=now - timedelta(days=days_ago),
                    results=demo_results(progress, 70), age=40, sex="female",
                )  # fmt: skip
    ClientFactory(trainer=tom, first_name="Dee")  # never assessed: not in any export
    return {"owner": owner, "tom": tom, "una": una, "made": made}


def ask(client_a, days=10, **extra):
    today = gym_today()
    data = {"first_day": (today - timedelta(days=days)).isoformat(), "last_day": today.isoformat(), **extra}
    return client_a.post(reverse("report_exports"), data)


def test_the_owner_exports_the_latest_report_of_each_client_assessed(gym, client_a, django_capture_on_commit_callbacks):
    client_a.login_as(gym["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client_a).status_code == 302
    export = ReportExport.objects.get()
    assert (export.status, export.total, export.done) == (ExportStatus.DONE, 3, 3)  # Ada, Ben, Cy: their latest
    assert export.expires_at - export.finished_at == timedelta(days=7)
    page = client_a.get(reverse("report_exports")).content.decode()
    assert "Download (3 reports)" in page
    response = client_a.get(reverse("report_export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert {name.split("-")[0] for name in names} == {"ada", "ben", "cy"}
    latest = {gym["made"][(name, 5)].pk for name in ("Ada", "Ben", "Cy")}
    assert {int(name.split("assessment-")[1].split("-")[0]) for name in names} == latest
    assert all(archive.read(name).startswith(b"%PDF") for name in names)


def test_one_trainers_clients_only(gym, client_a, django_capture_on_commit_callbacks):
    client_a.login_as(gym["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_a, trainer=gym["una"].pk)
    assert ReportExport.objects.get().total == 1


def test_progress_is_counted_while_it_runs(gym):
    from apps.reports import assessment as report_module

    export = ReportExport.objects.create(
        requested_by=gym["owner"], first_day=gym_today() - timedelta(days=10), last_day=gym_today()
    )
    seen = []

    def drawing(report):
        seen.append(ReportExport.objects.values_list("status", "done", "total").get(pk=export.pk))
        return report_module.report_pdf(report)

    with mock.patch("apps.reports.tasks.report_pdf", side_effect=drawing):
        build_report_export(export.pk)
    assert seen == [("running", 0, 3), ("running", 1, 3), ("running", 2, 3)]
    export.refresh_from_db()
    assert (export.status, export.done) == (ExportStatus.DONE, 3)


def test_only_its_owner_sees_an_export_and_others_get_404(gym, client_a, django_capture_on_commit_callbacks):
    client_a.login_as(gym["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_a)
    export = ReportExport.objects.get()
    other_owner = TrainerFactory(role=Role.OWNER)
    client_a.login_as(other_owner)
    assert client_a.get(reverse("report_export_status", args=[export.pk])).status_code == 404
    assert client_a.get(reverse("report_export_download", args=[export.pk])).status_code == 404
    assert f"export-{export.pk}" not in client_a.get(reverse("report_exports")).content.decode()
    client_a.login_as(gym["tom"])
    assert client_a.get(reverse("report_exports")).status_code == 403


def test_a_running_export_polls_and_a_finished_one_stops(gym, client_a):
    client_a.login_as(gym["owner"])
    export = ReportExport.objects.create(requested_by=gym["owner"], first_day=gym_today(), last_day=gym_today(),
                                         status=ExportStatus.RUNNING, total=4, done=1)  # fmt: skip
    row = client_a.get(reverse("report_export_status", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in row and 'value="25"' in row and "1 / 4" in row
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED)
    row = client_a.get(reverse("report_export_status", args=[export.pk])).content.decode()
    assert "hx-trigger" not in row and "Failed" in row


def stored_exports():
    return set(default_storage.listdir("exports")[1]) if default_storage.exists("exports") else set()


def test_a_failed_export_keeps_no_file(gym):
    export = ReportExport.objects.create(
        requested_by=gym["owner"], first_day=gym_today() - timedelta(days=10), last_day=gym_today()
    )
    before = stored_exports()
    with mock.patch("apps.reports.tasks.report_pdf", side_effect=RuntimeError("boom")):
        build_report_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "boom" in export.error and not export.file
    assert stored_exports() == before
    build_report_export(export.pk)  # idempotent: a finished export is left alone
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_bad_periods_are_refused_at_their_field(gym, client_a):
    client_a.login_as(gym["owner"])
    today = gym_today()
    backwards = {"first_day": today.isoformat(), "last_day": (today - timedelta(days=1)).isoformat()}
    response = client_a.post(reverse("report_exports"), backwards)
    assert response.status_code == 400 and "The last day cannot be before the first." in response.content.decode()
    assert ask(client_a, days=400).status_code == 400
    assert not ReportExport.objects.exists()


def test_exports_expire_after_seven_days(gym, client_a, django_capture_on_commit_callbacks):
    client_a.login_as(gym["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_a)
    export = ReportExport.objects.get()
    name = export.file.name
    assert default_storage.exists(name)
    assert report_exports_expire() == 0
    ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert report_exports_expire() == 1
    assert not default_storage.exists(name) and not ReportExport.objects.exists()
