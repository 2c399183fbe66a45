"""What the trainer sees of package expiry (issue 15): the "expiring soon" list (7, 14 or 30 days, soonest first,
scoped, 403 for assistants, constant queries), the dashboard's count, "Expires in N days" on the client's page and
the package's page, and the package's history of an extension."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.dates import gym_today
from apps.training.models import PackageStatus
from apps.training.selectors import packages_expiring
from apps.training.services.packages import packages_expire
from tenants.models import Organization, PackageExpiryPolicy
from tests.factories import ClientFactory, SessionPackageFactory, TrainerFactory

URL = "/packages/expiring/"


def in_days(days):
    return gym_today() + timedelta(days=days)


def rows(page):
    """(client, package) of each row, in order."""
    return [(str(package.client), package.name) for package in page.context["packages"]]


@pytest.fixture
def spread(coach, client_of_coach):
    """The coach's packages ending at various distances; one of another trainer."""
    make = SessionPackageFactory
    return {
        "today": make(client=client_of_coach, name="Ends today", expires_on=in_days(0), used_sessions=7),
        "5": make(client=ClientFactory(trainer=coach, last_name="Five"), name="Five days", expires_on=in_days(5)),
        "14": make(client=ClientFactory(trainer=coach, last_name="Fourteen"), name="Two weeks", expires_on=in_days(14)),
        "20": make(client=ClientFactory(trainer=coach, last_name="Twenty"), name="Twenty", expires_on=in_days(20)),
        "40": make(client=client_of_coach, name="Far", expires_on=in_days(40)),
        "past": make(client=client_of_coach, name="Yesterday", expires_on=in_days(-1)),
        "open": make(client=client_of_coach, name="Open", expires_on=None),
        "cancelled": make(
            client=client_of_coach, name="Cancelled", expires_on=in_days(2), status=PackageStatus.CANCELLED
        ),
    }


def test_the_list_shows_the_next_14_days_soonest_first(gym, client_a, coach, spread):
    other = TrainerFactory(role="trainer")
    SessionPackageFactory(client=ClientFactory(trainer=other), name="Not mine", expires_on=in_days(1))
    page = client_a.login_as(coach).get(URL)

    assert page.status_code == 200
    assert [name for _client, name in rows(page)] == ["Ends today", "Five days", "Two weeks"]
    html = page.content.decode()
    assert "Not mine" not in html
    assert 'class="reflow"' in html
    assert page.context["filter_form"]["within"].value() == "14"
    assert "3 / 10" in html  # sessions left of the package ending today
    assert "Today" in html and ">5<" in html and ">14<" in html


@pytest.mark.parametrize(
    ("within", "names"),
    [
        ("7", ["Ends today", "Five days"]),
        ("30", ["Ends today", "Five days", "Two weeks", "Twenty"]),
        ("9", ["Ends today", "Five days", "Two weeks"]),
    ],
)
def test_the_window_filter(gym, client_a, coach, spread, within, names):
    page = client_a.login_as(coach).get(URL, {"within": within})
    assert [name for _client, name in rows(page)] == names  # 9 is no choice: the default, 14


def test_the_owner_sees_everyones_and_filters_by_trainer(gym, client_a, owner, coach, spread):
    other = TrainerFactory(role="trainer")
    SessionPackageFactory(client=ClientFactory(trainer=other), name="Theirs", expires_on=in_days(1))
    client_a.login_as(owner)
    assert [name for _client, name in rows(client_a.get(URL))] == ["Ends today", "Theirs", "Five days", "Two weeks"]
    assert [name for _c, name in rows(client_a.get(URL, {"trainer": other.pk}))] == ["Theirs"]


def test_assistants_get_403_and_no_packages(gym, client_a, assistant, coach, spread):
    assert client_a.login_as(assistant).get(URL).status_code == 403
    assert list(packages_expiring(actor=assistant, within_days=30)) == []


def test_the_empty_list_says_what_it_means(gym, client_a, coach):
    html = client_a.login_as(coach).get(URL).content.decode()
    assert "No active package ends in the next 14 days: nobody's sessions are about to run out of time." in html
    assert f'href="{URL}?within=30"' in html
    assert "At its end date, a package expires: the sessions left on it can no longer be booked." in html


def test_the_page_says_when_the_gym_extends(gym, client_a, coach):
    Organization.objects.filter(pk=gym.pk).update(
        package_expiry_policy=PackageExpiryPolicy.EXTEND, package_extension_days=21
    )
    html = client_a.login_as(coach).get(URL).content.decode()
    assert "At its end date, a package with sessions left gets 21 more days, once; then it expires." in html


@pytest.mark.parametrize("role", ["owner", "trainer"])
def test_the_query_count_does_not_grow_with_the_rows(gym, client_a, coach, owner, role):
    client_a.login_as(owner if role == "owner" else coach)
    counts = []
    for count in (3, 27):
        for n in range(count):
            SessionPackageFactory(
                client=ClientFactory(trainer=coach, last_name=f"N{n:02d}"), expires_on=in_days(n % 10)
            )
        client_a.get(URL)  # warm caches (host, session)
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get(URL)
        assert page.status_code == 200
        counts.append(len(queries))
    assert len(page.context["packages"]) == 30
    assert counts[0] == counts[1]


def test_the_package_list_links_to_it(gym, client_a, coach):
    assert f'href="{URL}"'.encode() in client_a.login_as(coach).get(reverse("package_list")).content


@pytest.mark.parametrize("role", ["owner", "trainer"])
def test_the_dashboard_counts_packages_expiring_in_14_days(gym, client_a, owner, coach, spread, role):
    page = client_a.login_as(owner if role == "owner" else coach).get(reverse("dashboard"))
    assert page.context["figures"].expiring_packages == 3
    assert f'<a href="{URL}">3 packages expire in the next 14 days</a>' in page.content.decode()


def test_the_dashboard_says_nothing_of_packages_to_assistants(gym, client_a, assistant, coach, spread):
    page = client_a.login_as(assistant).get(reverse("dashboard"))
    assert page.context["figures"].expiring_packages is None
    assert URL not in page.content.decode()


def test_the_clients_page_shows_each_active_package_and_when_it_ends(gym, client_a, coach, client_of_coach, spread):
    html = client_a.login_as(coach).get(reverse("client_detail", args=[client_of_coach.pk])).content.decode()
    card = html[html.index('id="client-packages"') :].split("</section>")[0]
    assert "Ends today" in card and "3 sessions left" in card and "Expires today" in card
    assert "Expires in 40 days" in card
    assert "Open" in card and "Cancelled" not in card
    assert "Expired on" in card  # the package whose last day was yesterday, before the hourly job


def test_assistants_see_no_package_card(gym, client_a, coach, client_of_coach, spread):
    from apps.trainers.models import AssistantLink

    assistant = TrainerFactory(role="assistant")
    AssistantLink.objects.create(assistant=assistant, trainer=coach)
    page = client_a.login_as(assistant).get(reverse("client_detail", args=[client_of_coach.pk]))
    assert page.status_code == 200
    assert 'id="client-packages"' not in page.content.decode()


def test_the_package_page_shows_the_expiry_and_the_extension(gym, client_a, owner, coach, client_of_coach):
    Organization.objects.filter(pk=gym.pk).update(
        package_expiry_policy=PackageExpiryPolicy.EXTEND, package_extension_days=30
    )
    package = SessionPackageFactory(client=client_of_coach, expires_on=in_days(-1))
    url = reverse("package_detail", args=[package.pk])
    html = client_a.login_as(coach).get(url).content.decode()
    assert "Expired on" in html and 'id="package-extension"' not in html

    assert packages_expire() == 1
    package.refresh_from_db()
    html = client_a.get(url).content.decode()
    assert "Expires in 29 days" in html
    extension = html[html.index('id="package-extension"') :].split("</dd>")[0]
    assert "By 30 days on" in extension and "when it reached its end date" in extension
    history = html[html.index('id="package-history"') :].split("</section>")[0]
    assert "Sold by Tom Trainer." in history
    assert "Reached its end date" in history and "with sessions left: extended by 30 days, to" in history
    assert "audit log" not in history  # the audit log is the owner's

    html = client_a.login_as(owner).get(url).content.decode()
    assert "Every change with its time and author is in the audit log." in html
    assert packages_expire(today=in_days(30)) == 1
    history = client_a.get(url).content.decode().split('id="package-history"')[1].split("</section>")[0]
    assert "Expired after its last day" in history
