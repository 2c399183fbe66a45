"""The Korean catalog is complete and safe to interpolate, and gym pages render in Korean when asked."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.test import Client

from tenants.models import Role
from tenants.services import organization_suspend
from tests.factories import TrainerFactory

ROOT = Path(__file__).resolve().parents[2]
KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"

# %(name)s, %(count)d, %s, %d and %% (printf-style, as Django interpolates them); HTML tags.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
TEMPLATE_VARIABLE = re.compile(r"{{.*?}}|{%.*?%}")


def ko_catalog():
    return polib.pofile(str(KO_PO))


def translated_forms(entry):
    if entry.msgid_plural:
        return [(entry.msgid if n == "0" else entry.msgid_plural, text) for n, text in entry.msgstr_plural.items()]
    return [(entry.msgid, entry.msgstr)]


def test_the_korean_catalog_is_complete():
    catalog = ko_catalog()
    assert catalog.metadata.get("Language") == "ko"
    assert not catalog.metadata_is_fuzzy, "remove the fuzzy flag of the header"
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.obsolete_entries()] == [], "drop obsolete (#~) entries"
    assert len(catalog.translated_entries()) > 0


@pytest.mark.parametrize("entry", [e for e in ko_catalog() if not e.obsolete], ids=lambda e: e.msgid[:40])
def test_korean_keeps_every_placeholder_and_tag(entry):
    for msgid, msgstr in translated_forms(entry):
        assert Counter(PLACEHOLDER.findall(msgstr)) == Counter(PLACEHOLDER.findall(msgid)), msgstr
        assert Counter(TAG.findall(msgstr)) == Counter(TAG.findall(msgid)), msgstr
        assert Counter(TEMPLATE_VARIABLE.findall(msgstr)) == Counter(TEMPLATE_VARIABLE.findall(msgid)), msgstr


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogs():
    """Pages need the .mo files (build output): compile stale ones, as `make test` does, and reload them."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "compilemessages.py")], cwd=ROOT, check=True)
    # Django caches loaded catalogs per process; this is the signal its own settings overrides use to reset them.
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True)


def test_the_login_page_is_in_korean_when_the_browser_asks(client_a):
    content = client_a.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="ko">' in content
    assert "Alpha Gym 로그인" in content  # ours; the gym's name stays as it is
    assert "처음이신가요?" in content
    assert "비밀번호" in content  # allauth's own form, from allauth's Korean catalog
    assert "Sign in to" not in content


def test_the_login_page_stays_in_english_by_default(client_a):
    content = client_a.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in content
    assert "Sign in to Alpha Gym" in content


def test_the_language_selector_switches_to_korean(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "ko", "next": "/accounts/password/reset/"})
    assert response.status_code == 302
    assert client_a.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    content = client_a.get(response["Location"]).content.decode()
    assert '<html lang="ko">' in content
    assert "비밀번호 초기화" in content  # allauth's password reset page


def test_a_signed_in_owner_sees_korean_roles_and_navigation(gym_a, client_a):
    connection.set_tenant(gym_a)
    owner = TrainerFactory(role=Role.OWNER, user__full_name="Olivia")
    connection.set_schema_to_public()
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    content = client_a.login_as(owner).get("/").content.decode()
    assert "안녕하세요, Olivia 님" in content
    assert "<strong>대표</strong>" in content
    assert "로그아웃" in content
    team = client_a.get("/team/").content.decode()
    assert "팀원 초대" in team
    assert "아직 보낸 초대가 없습니다." in team


def test_pages_answered_before_the_locale_middleware_follow_the_visitor_too(gym_a, client_a):
    unknown = Client(HTTP_HOST="nowhere.localhost").get("/", HTTP_ACCEPT_LANGUAGE="ko")
    assert unknown.status_code == 404
    assert "이 주소에는 센터가 없습니다" in unknown.content.decode()
    organization_suspend(organization=gym_a)
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    suspended = client_a.get("/accounts/login/")
    assert suspended.status_code == 403
    assert "이용이 정지된 센터입니다" in suspended.content.decode()
    assert client_a.get("/api/x/").json()["message"] == "이용이 정지된 센터입니다."


# The names makemessages (xgettext) looks for: a translation function imported under any other name is never
# extracted, so its strings stay English in every language (issue 15 found "65 points" so in the reports).
EXTRACTED_NAMES = {
    "_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
    "npgettext", "npgettext_lazy",
}  # fmt: skip
TRANSLATING = EXTRACTED_NAMES - {"_"}


def test_translation_functions_keep_names_that_makemessages_extracts():
    import ast

    wrong = []
    for path in [*ROOT.glob("apps/**/*.py"), *ROOT.glob("tenants/**/*.py"), *ROOT.glob("config/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    if alias.name in TRANSLATING and (alias.asname or alias.name) not in EXTRACTED_NAMES:
                        wrong.append(f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}")
    assert not wrong, wrong
