"""The calendar as a time grid, through a real browser and a real server, on a phone and on a desktop.

A trainer of gym "alpha" books a session by clicking a free hour of the calendar (the form comes with the trainer,
the day and the time), moves it, completes it with a note (a confirmation in a ``<dialog>``), finds the note on the
client's page and undoes the completion, which gives the credit back. The owner then looks at the week and at the
day with every trainer side by side.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session as HttpSession
from django.db import connection
from django.db.models import Q
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.clients.models import Client
from apps.trainers.models import AvailabilitySlot, Role, TimeOff, Trainer
from apps.training.models import Session, SessionPackage
from apps.training.services.packages import package_sell
from apps.training.services.sessions import session_schedule
from tests.factories import PASSWORD, ClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def in_gym(organization, query):
    connection.set_tenant(organization)
    try:
        return query()
    finally:
        connection.set_schema_to_public()


@pytest.fixture
def crew(gym_a):
    """Committed: an owner, two trainers with working hours (one off tomorrow), a client with a package and a few
    sessions; all removed afterwards."""
    connection.set_tenant(gym_a)
    sessions_before = set(HttpSession.objects.values_list("session_key", flat=True))
    tag = uuid.uuid4().hex[:6]
    zone = ZoneInfo(gym_a.timezone)
    today = datetime.now(zone).date()
    people = {"tag": tag, "today": today, "zone": zone}
    try:
        for key, role, name in [
            ("owner", Role.OWNER, "Olive Owner"),
            ("dana", Role.TRAINER, "Dana Dayshift"),
            ("theo", Role.TRAINER, "Theo Trainer"),
        ]:
            user = UserFactory(email=f"{key}-{tag}@alpha.example", full_name=name)
            people[key] = TrainerFactory(user=user, role=role)
        for weekday in range(7):
            for start, end in [(time(7), time(12)), (time(13), time(20))]:
                AvailabilitySlot.objects.create(trainer=people["dana"], weekday=weekday, starts_at=start, ends_at=end)
            AvailabilitySlot.objects.create(
                trainer=people["theo"], weekday=weekday, starts_at=time(10), ends_at=time(18)
            )
        tomorrow = today + timedelta(days=1)
        TimeOff.objects.create(trainer=people["theo"], starts_on=tomorrow, ends_on=tomorrow, reason="Course")
        people["client"] = ClientFactory(trainer=people["dana"], first_name="Mina", last_name=f"Park{tag}")
        other = ClientFactory(trainer=people["theo"], first_name="Otto", last_name=f"Lee{tag}")
        people["package"] = package_sell(
            actor=people["dana"], client=people["client"], name="10 sessions", total_sessions=10, price=550
        )
        late = datetime.combine(tomorrow, time(21), tzinfo=zone)
        session_schedule(actor=people["dana"], client=people["client"], starts_at=late, confirm_unavailable=True)
        session_schedule(actor=people["theo"], client=other, starts_at=datetime.combine(today, time(11), tzinfo=zone))
        connection.set_schema_to_public()
        yield people
    finally:
        connection.set_tenant(gym_a)
        try:
            trainers = Trainer.objects.filter(user__email__endswith=f"-{tag}@alpha.example")
            ids = list(trainers.values_list("pk", flat=True))
            clients = Client.objects.filter(trainer__in=ids)
            Session.objects.filter(Q(client__in=clients) | Q(trainer__in=ids)).delete()
            SessionPackage.objects.filter(Q(client__in=clients) | Q(trainer__in=ids)).delete()
            clients.delete()
            AvailabilitySlot.objects.filter(trainer__in=ids).delete()
            TimeOff.objects.filter(trainer__in=ids).delete()
            AuditEntry.objects.filter(actor_id__in=ids).delete()
            trainers.delete()
            EmailAddress.objects.filter(user__email__endswith=f"-{tag}@alpha.example").delete()
            User.objects.filter(email__endswith=f"-{tag}@alpha.example").delete()
            HttpSession.objects.exclude(session_key__in=sessions_before).delete()
        finally:
            connection.set_schema_to_public()


def open_signed_in(browser, url, trainer, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(url("/accounts/login/"))
    page.locator("input[name=login]").fill(trainer.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text(f"Hello, {trainer.user.full_name}")
    return page


def assert_fits(page):
    """Nothing wider than the screen: the grid on a desktop, the list on a phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_book_a_free_hour_move_complete_with_a_note_and_undo(crew, gym_a, app_server, browser, screenshots, size):
    url = lambda path="/": app_server.gym_url(gym_a.slug, path)  # noqa: E731
    today, zone, dana, client = crew["today"], crew["zone"], crew["dana"], crew["client"]
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    page = open_signed_in(browser, url, dana, VIEWPORTS[size])

    # 1. The week as a time grid (a list on the phone); a click on tomorrow's free 10:00 opens the booking form.
    page.goto(url(f"/sessions/?day={tomorrow.isoformat()}"))
    expect(page.get_by_text("Outside working hours", exact=True).locator("visible=true")).to_have_count(1)
    screenshots(page, f"{size}-trainer-week")
    assert_fits(page)
    page.locator(f'a[href$="day={tomorrow.isoformat()}&start=10:00"]').locator("visible=true").first.click()
    expect(page.locator("h1")).to_have_text("Schedule a session")
    expect(page.get_by_label("Date")).to_have_value(tomorrow.isoformat())
    expect(page.get_by_label("Time")).to_have_value("10:00")
    page.get_by_label("Client").select_option(label=str(client))
    page.get_by_label("Package").select_option(label=f"{client}: 10 sessions (10 left to book; 0 booked, 0 used)")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messages")).to_contain_text("Session scheduled.")
    session = in_gym(gym_a, lambda: Session.objects.get(client=client, package=crew["package"]))
    assert session.starts_at == datetime.combine(tomorrow, time(10), tzinfo=zone)
    card = page.locator(f".session[data-session='{session.pk}']").locator("visible=true")
    expect(card).to_contain_text("10:00–11:00")

    # 2. Move it to yesterday 10:00 (it has happened by now): the card says where it was.
    card.hover()
    card.get_by_role("link", name="Reschedule").click()
    expect(page.locator("h1")).to_have_text("Reschedule or edit the session")
    expect(page.get_by_label("Time")).to_have_value("10:00")
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Session saved.")
    expect(card).to_contain_text("Moved from")
    moved = in_gym(gym_a, lambda: Session.objects.get(pk=session.pk))
    assert moved.starts_at == datetime.combine(yesterday, time(10), tzinfo=zone)
    assert len(moved.previous_times) == 1

    # 3. Complete it with a note, in the dialog.
    card.hover()
    card.get_by_role("link", name="Complete").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("One credit of “10 sessions” is used: 9 of 10 left afterwards.")
    dialog.get_by_label("Notes (optional)").fill("Goblet squats 3x10; knees fine.")
    screenshots(page, f"{size}-complete-dialog")
    dialog.get_by_role("button", name="Complete").click()
    expect(page.locator(".messages")).to_contain_text("Session completed.")
    expect(card).to_contain_text("Completed")
    done = in_gym(gym_a, lambda: Session.objects.select_related("package").get(pk=session.pk))
    assert (done.status, done.notes, done.package.used_sessions) == ("completed", "Goblet squats 3x10; knees fine.", 1)

    # 4. The note is on the client's timeline.
    calendar_url = page.url
    page.goto(url(f"/clients/{client.pk}/"))
    expect(page.locator(".timeline")).to_contain_text("Goblet squats 3x10; knees fine.")

    # 5. Undo: scheduled again, the credit back.
    page.goto(calendar_url)
    card.hover()
    card.get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Undone: the session is scheduled again.")
    expect(card).to_contain_text("Scheduled")
    undone = in_gym(gym_a, lambda: Session.objects.select_related("package").get(pk=session.pk))
    assert (undone.status, undone.package.used_sessions) == ("scheduled", 0)
    assert (
        in_gym(gym_a, lambda: AuditEntry.objects.filter(action="session.undo", target_id=str(session.pk)).count()) == 1
    )

    # 6. The trainer's day, and the owner's week (counts) and day (trainers side by side, time off drawn).
    page.goto(url(f"/sessions/?view=day&day={today.isoformat()}"))
    screenshots(page, f"{size}-trainer-day")
    assert_fits(page)
    owner = open_signed_in(browser, url, crew["owner"], VIEWPORTS[size])
    owner.goto(url(f"/sessions/?day={tomorrow.isoformat()}"))
    screenshots(owner, f"{size}-owner-week")
    assert_fits(owner)
    owner.goto(url(f"/sessions/?view=day&day={tomorrow.isoformat()}"))
    expect(owner.get_by_text("Time off: Course").locator("visible=true")).to_have_count(1)
    screenshots(owner, f"{size}-owner-day")
    assert_fits(owner)
    if size == "desktop":
        columns = owner.locator(".tg-title")
        expect(columns.filter(has_text="Dana Dayshift")).to_have_count(1)
        expect(columns.filter(has_text="Theo Trainer")).to_have_count(1)
