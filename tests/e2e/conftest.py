"""Browser tests: a real application server, a real SMTP server and Debian's Chromium driven by Playwright.

The server is a ``gunicorn`` subprocess on the pytest test database with ``config.settings.test`` and the
``E2E_SMTP_PORT`` hook at the end of that file: it mails through Django's SMTP backend to an aiosmtpd server
running in this process. The server has its own database connections, so everything here is committed for real:
``db`` does not roll back, and ``committed_rows`` removes what a test (or the server) created, after the server
has stopped.
"""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import connection, connections, transaction
from django_tenants.utils import quote_schema_name

from apps.accounts.models import User
from tenants.models import Domain, Invitation, Organization, PooledSchema
from tests.e2e.mail import Mailbox
from tests.support import committed_database, database_url, free_port, stop_process, wait_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_TIMEOUT_MS = 15_000  # any one browser action or navigation
SERVER_STARTUP_TIMEOUT = 30  # seconds for gunicorn to answer


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """Committed database access: the server process only sees committed rows (see ``committed_rows``)."""
    with committed_database(django_db_blocker):
        yield


# ------------------------------------------------------------------ SMTP


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


# ------------------------------------------------------------------ database


@pytest.fixture
def committed_rows(db):
    """Notes what the database holds now; afterwards removes every organization (with its schema, hosts and
    invitations), invitation and platform user that appeared since.

    Provisioning takes a schema from the pool and the server refills it: pooled schemas made since are dropped
    down to the pool's size before, so the pool is left as big as it was. Set up before ``app_server`` (which
    requests it), so it is torn down after the server has stopped.
    """
    connection.set_schema_to_public()
    organizations = set(Organization.objects.values_list("pk", flat=True))
    pooled = set(PooledSchema.objects.values_list("pk", flat=True))
    pool_size = len(pooled)
    invitations = set(Invitation.objects.values_list("pk", flat=True))
    users = set(User.objects.values_list("pk", flat=True))
    yield
    connection.set_schema_to_public()
    new_organizations = Organization.objects.exclude(pk__in=organizations)
    excess = max(PooledSchema.objects.count() - pool_size, 0)
    refilled = list(PooledSchema.objects.exclude(pk__in=pooled).order_by("-created_at")[:excess])
    schemas = [*new_organizations.values_list("schema_name", flat=True), *(p.schema_name for p in refilled)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '10s'")
        for schema in schemas:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_schema_name(schema)} CASCADE")
        Invitation.objects.exclude(pk__in=invitations).delete()
        Domain.objects.filter(tenant__in=new_organizations).delete()
        new_organizations.delete()
        PooledSchema.objects.filter(pk__in=[p.pk for p in refilled]).delete()
        # Platform users are removed in SQL: the ORM's cascade would also look for rows in tables that exist
        # only in gym schemas (allauth's account_emailaddress), and fail in the public schema.
        new_users = list(User.objects.exclude(pk__in=users).values_list("pk", flat=True))
        LogEntry.objects.filter(user_id__in=new_users).delete()
        User.groups.through.objects.filter(user_id__in=new_users).delete()
        User.user_permissions.through.objects.filter(user_id__in=new_users).delete()
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id = ANY(%s)", [new_users])  # noqa: S608


# ------------------------------------------------------------------ application server


class AppServer:
    def __init__(self, port, log_path):
        self.port, self.log_path = port, log_path
        self.root_url = f"http://localhost:{port}"

    def gym_url(self, slug, path="/"):
        return f"http://{slug}.localhost:{self.port}{path}"

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _no_proxy_opener():
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def app_server(committed_rows, smtp_server, tmp_path):
    """``gunicorn config.wsgi`` on a free port, as in production, with the test settings and database."""
    port = free_port()
    log_path = tmp_path / "server.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "E2E_SMTP_PORT": str(smtp_server.port),  # the hook at the end of config/settings/test.py
        "SITE_PORT": str(port),  # emailed links carry the port
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"):  # tasks run eagerly in the server
        env.pop(name, None)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--timeout", "60", "--graceful-timeout", "5", "--access-logfile", "-", "--error-logfile", "-"]
    command += ["--no-control-socket"]  # else every gunicorn shares ~/.gunicorn/gunicorn.ctl
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = AppServer(port, log_path)
    opener = _no_proxy_opener()

    def answers():
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{server.log()}")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"localhost:{port}"})
        try:
            with opener.open(request, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    try:
        wait_for(answers, SERVER_STARTUP_TIMEOUT, "gunicorn to serve the landing page", interval=0.1)
        yield server
    finally:
        stop_process(process)
        print(f"---- server log ({log_path}) ----\n{server.log()}")  # shown by pytest on failure


# ------------------------------------------------------------------ browser


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium through Playwright. Missing Chromium fails the test: browser tests never skip."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: browser tests drive Debian's Chromium. Install it with "
            "scripts/ensure-chromium.sh as root (make test runs it) or `apt-get install chromium`."
        )
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API marks an asyncio loop as running in this thread between its calls. Django then
    # refuses ORM calls ("SynchronousOnlyOperation") although the test is plain synchronous code, so allow them;
    # and it keeps a separate database connection for that "async" state, which must be closed before the loop
    # stops, or it outlives the test and blocks the test database's removal.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield browser
        finally:
            try:
                browser.close()
            finally:
                connections.close_all()


@pytest.fixture
def new_page(browser):
    """Open a page in a new browser context (its own cookies), with bounded timeouts."""

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
        return context.new_page()

    return open_page


class Screenshots:
    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page, name):
        self.count += 1
        page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True, timeout=BROWSER_TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def screenshots(request, browser, tmp_path):
    """``screenshots(page, name)`` saves a numbered full-page screenshot under tmp_path (never committed).

    When the test fails, every page still open is captured too, and the folder is printed.
    """
    folder = tmp_path / "screenshots"
    folder.mkdir()
    shots = Screenshots(folder)
    yield shots
    if getattr(request.node, "e2e_failed", True):
        for number, page in enumerate(page for context in browser.contexts for page in context.pages):
            try:
                shots(page, f"at-failure-{number}")
            except Exception as error:  # noqa: BLE001 (best effort: the page may be gone)
                print(f"could not capture {page.url}: {error}")
        print(f"---- screenshots of this test: {folder} ----")


def remove_member(organization, email, sessions_before):
    """Delete what an e2e test committed for the member ``email`` of ``organization``: their clients with those
    clients' assessments, their audit entries, the member and their login, and the sign-in sessions made since."""
    from allauth.account.models import EmailAddress
    from django.contrib.sessions.models import Session as HttpSession

    from apps.assessments.models import Assessment, TestResult
    from apps.audit.models import AuditEntry
    from apps.clients.models import Client
    from apps.trainers.models import Trainer

    connection.set_tenant(organization)
    try:
        clients = Client.objects.filter(trainer__user__email=email)
        TestResult.objects.filter(assessment__client__in=clients).delete()
        Assessment.objects.filter(client__in=clients).delete()
        clients.delete()
        AuditEntry.objects.filter(actor_id__in=Trainer.objects.filter(user__email=email)).delete()
        Trainer.objects.filter(user__email=email).delete()
        EmailAddress.objects.filter(user__email=email).delete()
        User.objects.filter(email=email).delete()
        HttpSession.objects.exclude(session_key__in=sessions_before).delete()
    finally:
        connection.set_schema_to_public()
