"""Every page of the role-by-route table fits a phone (390x844) and a desktop (1280x800), and the main pages pass
axe-core's accessibility rules.

A gym is provisioned for the test (its schema is dropped afterwards by ``committed_rows``) and given the objects
of tests/security/world.py: the owner, two trainers, an assistant and a deactivated member, each with a client, an
assessment, a package, a session, a pricing template, a certification, an availability slot and a time off. The
owner and a trainer then open every GET page of ``tests/security/route_table.py`` they may use, on the objects
that are theirs (the owner: another member where the page is about another member).

A page fails when the document is wider than the viewport, or when one of its main actions (the links and buttons
of ``.page-head`` and ``.page-actions``, or marked ``data-main-action``) lies outside the viewport horizontally.

Screenshots of the main pages at both sizes (and of the team, dashboard and clients pages in Korean) are saved
with ``E2E_SCREENSHOTS=<folder>`` (none by default).
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from apps.trainers.models import AssistantLink, Specialty, Trainer
from tenants.models import Role
from tenants.services import organization_provision
from tests.e2e.conftest import BROWSER_TIMEOUT_MS
from tests.factories import PASSWORD, InvitationFactory, TrainerFactory
from tests.security import test_route_access as route_access
from tests.security.route_table import NO_GET, ROUTES
from tests.security.world import _hold

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# GET routes that answer a file, not a page (CSV, XLSX, PDF): nothing to lay out.
FILES = {
    "audit_log_export",
    "client_export",
    "client_data_export",
    "analytics_export",
    "analytics_gym_export",
    "analytics_gym_xlsx",
    "analytics_trainer_export",
    "assessment_report",
    "monthly_report",
}
# The main actions of a page, as the layout promises to keep them on screen.
MAIN_ACTIONS = ".page-head a, .page-head button, .page-actions a, .page-actions button, [data-main-action]"

MEASURE = """(selector) => {
  const viewport = document.documentElement.clientWidth;
  const width = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const outside = [...document.querySelectorAll(selector)]
    .filter((element) => element.getClientRects().length > 0 && !element.closest("dialog:not([open])"))
    .map((element) => ({ text: element.textContent.trim().slice(0, 40), box: element.getBoundingClientRect() }))
    .filter(({ box }) => box.left < -0.5 || box.right > viewport + 0.5)
    .map(({ text, box }) => `${text} [${Math.round(box.left)}..${Math.round(box.right)}]`);
  // The widest elements, to name the culprit when the document is too wide.
  const wide = width > viewport
    ? [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > viewport + 0.5)
        .slice(-3)
        .map((element) => element.tagName.toLowerCase() + (element.className ? "." + element.className : ""))
    : [];
  return { viewport, width, outside, wide };
}"""


@pytest.fixture
def layout_gym(committed_rows):
    """A new gym with the route-access world's members and objects (dropped with its schema afterwards)."""
    organization, _token = organization_provision(
        name="Layout Gym", slug="layout-gym", owner_email="owner@layout-gym.example", send_invitation=False
    )
    connection.set_tenant(organization)
    try:
        owner = TrainerFactory(role=Role.OWNER, user__full_name="Olga Owner", user__email="olga@layout.example")
        trainer = TrainerFactory(role=Role.TRAINER, user__full_name="Tom Trainer", user__email="tom@layout.example")
        other = TrainerFactory(role=Role.TRAINER, user__full_name="Una Other")
        assistant = TrainerFactory(role=Role.ASSISTANT, user__full_name="Ann Assistant")
        deactivated = TrainerFactory(role=Role.TRAINER, user__full_name="Dee Gone")
        AssistantLink.objects.create(assistant=assistant, trainer=trainer)
        members = {
            "owner": _hold(owner, owner),
            "trainer": _hold(trainer, owner),
            "other": _hold(other, owner),
            "assistant2": _hold(assistant, owner, clients=False, pricing=False),
            "deactivated": _hold(deactivated, owner),
        }
        Trainer.objects.filter(pk=deactivated.pk).update(is_active=False)
        owner.specialties.add(Specialty.objects.create(name="Mobility"))
        connection.set_schema_to_public()
        InvitationFactory(organization=organization, role=Role.TRAINER, email="newcomer@layout.example")
        yield SimpleNamespace(organization=organization, members=members, gym_a=organization)
    finally:
        connection.set_schema_to_public()


def pages_for(world, role):
    """(route key, path) of every GET page ``role`` may open, on the first target the table allows."""
    pages = []
    for key, route in sorted(ROUTES.items()):
        if route.public or route.get == NO_GET or key in FILES or route.get_ok == (302,):
            continue
        tokens = route.get[role]
        targets = [target for target in ("own", "other", "ok") if target in tokens or "~" + target in tokens]
        if not targets:
            continue
        target = targets[0] if route.kind else "-"
        pages.append((key, route_access.url_of(world, key, role, target)))
    return pages


def public_pages():
    return [
        route_access.url_of(None, key, "anonymous", "-")
        for key, route in sorted(ROUTES.items())
        if route.public and route.get_ok == (200,) and route.kind in (None, "dummy_key", "dummy_reset_key")
    ]


def sign_in(page, url, email):
    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def check_layout(page, url, paths, size, problems, label):
    page.set_viewport_size(size)
    for path in paths:
        response = page.goto(url(path))
        where = f"{label} {size['width']}px {path}"
        if response is None or response.status != 200:
            problems.append(f"{where}: answered {response and response.status}")
            continue
        measured = page.evaluate(MEASURE, MAIN_ACTIONS)
        if measured["width"] > measured["viewport"]:
            problems.append(f"{where}: {measured['width']}px wide, widest: {measured['wide']}")
        if measured["outside"]:
            problems.append(f"{where}: main actions off-screen: {measured['outside']}")


def new_context_page(browser, size, locale="en-US"):
    context = browser.new_context(viewport=size, locale=locale)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
    return context.new_page()


def check_every_page_fits_a_phone_and_a_desktop(layout_gym, app_server, browser):
    url = lambda path="/": app_server.gym_url(layout_gym.organization.slug, path)  # noqa: E731
    problems = []
    for role, email in (("owner", "olga@layout.example"), ("trainer", "tom@layout.example")):
        page = new_context_page(browser, DESKTOP)
        sign_in(page, url, email)
        paths = [path for _key, path in pages_for(layout_gym, role)]
        assert len(paths) > 25, paths
        for size in (PHONE, DESKTOP):
            check_layout(page, url, paths, size, problems, role)
        page.context.close()

    # Korean labels are longer ("비활성화"): the team page in Korean, and the signed-out pages.
    korean = new_context_page(browser, DESKTOP, locale="ko-KR")
    korean.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ko", "url": url()}])
    sign_in_korean(korean, url, "olga@layout.example")
    korean_pages = ["/team/", "/", "/clients/"]
    for size in (PHONE, DESKTOP):
        check_layout(korean, url, korean_pages, size, problems, "owner (ko)")
        if folder := os.environ.get("E2E_SCREENSHOTS"):
            for path in korean_pages:
                korean.goto(url(path))
                name = path.strip("/") or "dashboard"
                korean.screenshot(path=Path(folder) / f"{name}-{size['width']}-ko.png", full_page=True)
    korean.context.close()
    anonymous = new_context_page(browser, PHONE)
    for size in (PHONE, DESKTOP):
        check_layout(anonymous, url, public_pages(), size, problems, "signed out")
    anonymous.context.close()

    assert not problems, "\n".join(problems)


def sign_in_korean(page, url, email):
    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form button:not([type])").last.click()
    expect(page.locator("h1")).to_be_visible()


def check_the_phone_menu_opens_and_closes(layout_gym, app_server, browser):
    url = lambda path="/": app_server.gym_url(layout_gym.organization.slug, path)  # noqa: E731
    page = new_context_page(browser, DESKTOP)
    sign_in(page, url, "olga@layout.example")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    page.set_viewport_size(PHONE)
    page.reload()
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    box = menu.bounding_box()
    assert box["height"] >= 40, box
    menu.click()
    expect(nav).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Language")).to_be_visible()
    expect(page.get_by_label("Show", exact=True)).to_be_visible()  # the owner's trainer switcher
    header = page.locator(".topbar-row").bounding_box()
    assert header["height"] <= 64, header  # closed, the header is one row
    nav.get_by_role("link", name="Team").click()
    expect(page.locator("h1")).to_have_text("Team")
    page.context.close()


def check_the_team_page_confirms_role_changes_and_deactivation(layout_gym, app_server, browser):
    url = lambda path="/": app_server.gym_url(layout_gym.organization.slug, path)  # noqa: E731
    page = new_context_page(browser, DESKTOP)
    sign_in(page, url, "olga@layout.example")
    page.goto(url("/team/"))
    row = page.locator("tr").filter(has_text="Una Other")
    row.get_by_role("link", name="Change role").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h1")).to_have_text("Change the role of Una Other")
    dialog.get_by_label("Senior").check()
    dialog.get_by_role("button", name="Change role").click()
    expect(page.locator(".messages")).to_contain_text("Una Other is now Senior.")

    row = page.locator("tr").filter(has_text="Una Other")
    row.get_by_role("link", name="Deactivate").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Their API keys are revoked.")
    expect(dialog).to_contain_text("Nothing is deleted")
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    connection.set_tenant(layout_gym.organization)
    try:
        assert Trainer.objects.get(user__full_name="Una Other").is_active
    finally:
        connection.set_schema_to_public()
    row.get_by_role("link", name="Deactivate").click()
    dialog.get_by_role("button", name="Deactivate Una Other").click()
    expect(page.locator(".messages")).to_contain_text("Una Other was deactivated.")
    page.locator("tr").filter(has_text="Una Other").get_by_role("button", name="Reactivate").click()
    expect(page.locator(".messages")).to_contain_text("Una Other was reactivated.")
    page.context.close()


# The main pages, checked by axe-core (served from tests/e2e/vendor, injected into the page).
AXE_PAGES = {
    "dashboard": "dashboard",
    "clients": "client_list",
    "client": "client_detail",
    "calendar": "calendar",
    "team": "team",
    "assessment-form": "assessment_create",
    "packages": "package_list",
}


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const results = await axe.run(document, { resultTypes: ["violations"] });
          return results.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.help} -- ${v.nodes.slice(0, 3).map((n) => n.target).join(", ")}`);
        }"""
    )
    return result


def check_the_main_pages_have_no_serious_accessibility_violations(layout_gym, app_server, browser):
    url = lambda path="/": app_server.gym_url(layout_gym.organization.slug, path)  # noqa: E731
    page = new_context_page(browser, DESKTOP)
    sign_in(page, url, "olga@layout.example")
    folder = os.environ.get("E2E_SCREENSHOTS")
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for name, key in AXE_PAGES.items():
            path = route_access.url_of(layout_gym, key, "owner", "own")
            if size is PHONE and not folder:
                continue  # the phone shows the same elements; its layout is checked by the other step
            response = page.goto(url(path))
            assert response.status == 200, (path, response.status)
            if size is DESKTOP:
                problems += [f"{size['width']}px {path}: {violation}" for violation in axe_violations(page)]
            if folder:
                page.screenshot(path=Path(folder) / f"{name}-{size['width']}.png", full_page=True)
    page.context.close()
    assert not problems, "\n".join(problems)


def check_a_page_a_role_may_never_use_says_so(layout_gym, app_server, browser):
    url = lambda path="/": app_server.gym_url(layout_gym.organization.slug, path)  # noqa: E731
    page = new_context_page(browser, PHONE)
    sign_in(page, url, "tom@layout.example")
    response = page.goto(url("/team/"))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not available for your role")
    response = page.goto(url("/no-such-page/"))
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients")).to_be_visible()
    page.context.close()


def test_layout_accessibility_and_confirmations(layout_gym, app_server, browser):
    """One gym and one server for every check (provisioning and starting the server are the slow part)."""
    check_the_main_pages_have_no_serious_accessibility_violations(layout_gym, app_server, browser)
    check_the_phone_menu_opens_and_closes(layout_gym, app_server, browser)
    check_a_page_a_role_may_never_use_says_so(layout_gym, app_server, browser)
    check_every_page_fits_a_phone_and_a_desktop(layout_gym, app_server, browser)
    check_the_team_page_confirms_role_changes_and_deactivation(layout_gym, app_server, browser)
