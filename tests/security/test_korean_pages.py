"""Every page a gym's member can open, rendered in Korean, holds no English of the product's own.

The pages are those of the role-by-route table (``route_table.ROUTES``) that the owner and a trainer may GET,
opened on their own objects with the language cookie set to Korean. The visible text and the text of the
attributes people read (placeholders, titles, labels for screen readers, alternative texts) are searched for a
list of English words that only untranslated strings would put there. Data (client names, the gym's name) and
names of formats (PDF, CSV) are not in the list.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection

from apps.clients.models import Client
from apps.trainers.models import Trainer

from .route_table import ROUTES
from .test_route_access import OWN, client_for, expected, targets_of, url_of

# Words of the product's interface. Whole words, case-sensitive, so "Kim" or a trainer's bio don't match.
ENGLISH = re.compile(
    r"\b(?:Add|All|Amount|Assessment|Assessments|Availability|Back|Book|Calendar|Cancel|Change|Client|Clients"
    r"|Close|Compare|Complete|Confirm|Dashboard|Date|Delete|Download|Edit|Email|Export|Filter|From|Language|Month"
    r"|Name|Next|None|Notes|Package|Packages|Password|Payment|Payments|Phone|Previous|Price|Pricing|Profile"
    r"|Record|Remove|Save|Search|Select|Send|Session|Sessions|Settings|Show|Sign|Status|Team|Today|Total|Trainer"
    r"|Trainers|Week|Yes|No|You|Your|The|This|and|the|of|for|with|or|to|is|an|on)\b"
)
# Pages written for developers (the API's reference), served in English on purpose.
ENGLISH_ON_PURPOSE = {"api_docs", "api_redoc", "api_schema"}
TIME_ZONE_NAME = re.compile(r"^[A-Z][A-Za-z]+/[A-Za-z0-9_/ +-]+$")
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "value"}


class VisibleText(HTMLParser):
    """The text a person sees or hears: text outside <script>/<style>, and the attributes read aloud."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                if name == "value" and (tag != "input" or attributes.get("type") not in {"submit", "button"}):
                    continue  # a field's value is data; a button's is its label
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_words(html, data=()):
    """The interface's English words in ``html``, after removing the strings in ``data`` (names of people)."""
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for part in parser.parts:
        if TIME_ZONE_NAME.match(part.strip()):
            continue  # an IANA name such as "America/Port of Spain" is an identifier, not a sentence
        for text in data:
            part = part.replace(text, " ")
        found.update(ENGLISH.findall(part))
    return sorted(found)


@pytest.fixture(scope="module")
def names(world):
    """Every person's name in gym A, longest first (so that "Tom Trainer" goes before "Tom")."""
    connection.set_tenant(world.gym_a)
    try:
        people = [trainer.display_name for trainer in Trainer.objects.select_related("user")]
        people += [f"{client.first_name} {client.last_name}".strip() for client in Client.objects.all()]
        people += [name for client in Client.objects.all() for name in (client.first_name, client.last_name)]
    finally:
        connection.set_schema_to_public()
    return sorted({name for name in people if name}, key=len, reverse=True)


def korean_cases():
    for key, route in ROUTES.items():
        if route.public or key in ENGLISH_ON_PURPOSE:
            continue
        target = OWN if OWN in targets_of(route) else "-"
        # The owner reaches almost every page; a trainer the few of their own (the same templates otherwise).
        role = next((role for role in ("owner", "trainer") if expected(route, "GET", role, target) == "ok"), None)
        if role is None:
            continue
        yield pytest.param(key, role, target, id=f"{key}-{role}")


@pytest.mark.parametrize(("key", "role", "target"), list(korean_cases()))
def test_every_page_speaks_korean(w, names, key, role, target):
    client = client_for(w, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.get(url_of(w, key, role, target))
    assert response.status_code < 400
    if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
        return
    assert english_words(response.content.decode(), names) == []


def test_the_sale_form_has_no_two_labels_alike_in_korean(w):
    """ "Price" and the VAT mode were both "가격" once: every field of the sale must say what it is."""
    client = client_for(w, "owner")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get(url_of(w, "package_sell", "owner", "-")).content.decode()
    labels = [
        re.sub(r"<[^>]+>|\s+", " ", label).strip() for label in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    ]
    assert labels and len(labels) == len(set(labels)), labels
