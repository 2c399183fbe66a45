"""Screenshots of the demo gym's main pages for the user guide: phone (390x844) and desktop (1280x800), English
and Korean, as the owner and as a trainer. Run by ``make screenshots``; writes docs/guide/images/screens/, and the
first two pages of one assessment report in each language to docs/guide/images/ (report-assessment-<lang>-<n>.png,
drawn with poppler's pdftoppm at 60 dpi, the size the guide shows).

It loads the demo gym (``setup_demo``, as ``make run`` does) into the development database, serves it with
``runserver`` on a free port and drives Debian's Chromium with Playwright. Only the first screen of each page is
kept (what a person sees before scrolling), which keeps the images small.
"""

import base64
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench._common import free_port, stop_process  # noqa: E402

OUT = REPO_ROOT / "docs" / "guide" / "images" / "screens"
REPORTS_OUT = OUT.parent
REPORT_PAGES = (1, 2)
REPORT_DPI = 60  # an A4 page 497 pixels wide: legible in the guide, small in the repository
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
PASSWORD = "demo-pass-2026"  # noqa: S105  (the demo's printed, development-only login)


def pages(ids):
    """(file name, who, path) of the pages shown in the guide."""
    client, trainer_client = ids["client"], ids["trainer_client"]
    return [
        ("dashboard", "owner", "/"),
        ("clients", "owner", "/clients/"),
        ("client", "owner", f"/clients/{client}/"),
        ("assessment-form", "trainer", f"/assessments/client/{trainer_client}/new/"),
        ("calendar", "owner", "/sessions/"),
        ("calendar-trainer", "trainer", "/sessions/"),
        ("sell-package", "trainer", f"/packages/new/?client={trainer_client}"),
        ("payments", "owner", "/payments/"),
        ("team", "owner", "/team/"),
        ("settings", "owner", "/team/settings/"),
        ("analytics-gym", "owner", "/analytics/gym/"),
        ("availability", "trainer", "/availability/"),
    ]


def demo_ids():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.urls import reverse
    from django_tenants.utils import schema_context

    from apps.assessments.models import Assessment
    from apps.clients.models import Client
    from tenants.models import Organization

    gym = Organization.objects.get(slug="demo")
    with schema_context(gym.schema_name):
        first = Client.objects.order_by("pk").first()
        mine = Client.objects.filter(trainer__user__email="trainer@demo.localhost").order_by("pk").first()
        # The report in the guide: Hannah Lee's latest assessment (it has a previous one to compare with).
        reported = (
            Assessment.objects.filter(client__first_name="Hannah", client__last_name="Lee").first()
            or Assessment.objects.first()
        )
        report = reverse("assessment_report", args=[reported.pk], urlconf="config.urls_tenant")
        return {"client": first.pk, "trainer_client": mine.pk, "report": report}


def main():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    manage = [sys.executable, str(REPO_ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env)  # noqa: S603 (our manage.py)
    subprocess.run([*manage, "setup_demo"], check=True, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    ids = demo_ids()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our manage.py)
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env={**env, "SITE_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://demo.localhost:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.2)
        shoot(base, ids)
    finally:
        stop_process(server)


def shoot(base, ids):
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for who in ("owner", "trainer"):
            for language in ("en", "ko"):
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    page.locator("input[name=login]").fill(f"{who}@demo.localhost")
                    page.locator("input[name=password]").fill(PASSWORD)
                    with page.expect_navigation():
                        page.locator("input[name=password]").press("Enter")
                    for name, person, path in pages(ids):
                        if person != who:
                            continue
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        target = OUT / f"{name}-{language}-{size}.png"
                        page.screenshot(path=str(target))
                        print(target.relative_to(REPO_ROOT))
                    if who == "owner" and size == "desktop":
                        report_pages(page, f"{base}{ids['report']}?language={language}", language)
                    context.close()
        browser.close()


# Fetched by the page, signed in: Chromium resolves demo.localhost by itself, Playwright's own HTTP client does not.
FETCH_BASE64 = """async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + " answered " + response.status);
    let text = "";
    for (const byte of new Uint8Array(await response.arrayBuffer())) text += String.fromCharCode(byte);
    return btoa(text);
}"""


def report_pages(page, url, language):
    """The first pages of the assessment report in ``language``, as the guide's PNGs."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(base64.b64decode(page.evaluate(FETCH_BASE64, url)))
        for number in REPORT_PAGES:
            target = REPORTS_OUT / f"report-assessment-{language}-{number}"
            subprocess.run(  # noqa: S603 (poppler's pdftoppm with fixed arguments)
                ["pdftoppm", "-png", "-r", str(REPORT_DPI), "-f", str(number), "-l", str(number), "-singlefile"]  # noqa: S607
                + [str(pdf), str(target)],
                check=True,
            )
            print(target.with_suffix(".png").relative_to(REPO_ROOT))


if __name__ == "__main__":
    main()
