"""The user guide in English (docs/guide/) and Korean (docs/guide/ko/) cannot drift apart silently: every page has
its counterpart with the same headings, every image and link points at something that exists, the Korean pages show
the Korean screenshots and are written in Korean. Reads files only (no database)."""

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt  # CommonMark, as GitHub renders it (installed with rich, through schemathesis)

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
KOREAN = GUIDE / "ko"

ENGLISH_PAGES = sorted(path.name for path in GUIDE.glob("*.md"))
KOREAN_PAGES = sorted(path.name for path in KOREAN.glob("*.md"))
ALL_PAGES = [GUIDE / name for name in ENGLISH_PAGES] + [KOREAN / name for name in KOREAN_PAGES]

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")


def text_of(path: Path) -> str:
    """The page without code blocks, where a '#' or a bracket is not Markdown."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def headings(path: Path) -> list[tuple[int, str]]:
    return [(len(marks), title) for marks, title in HEADING.findall(text_of(path))]


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (letters of any script stay), spaces to '-'."""
    title = CODE.sub(lambda match: match.group(0).strip("`"), title).lower()
    return re.sub(r"[^\w\- ]", "", title).replace(" ", "-")


def relative_targets(pattern: re.Pattern, path: Path) -> list[str]:
    targets = pattern.findall(CODE.sub("", text_of(path)))
    return [target for target in targets if not re.match(r"[a-z][a-z0-9+.-]*:", target)]  # not http:, mailto:


def test_the_guide_has_pages():
    assert "getting-started.md" in ENGLISH_PAGES
    assert "README.md" in ENGLISH_PAGES  # the index


def test_every_english_page_has_a_korean_counterpart_and_back():
    assert KOREAN_PAGES == ENGLISH_PAGES


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_both_languages_have_the_same_headings(name):
    """Same sections in the same order and at the same levels: a section added in one language only fails here."""
    english, korean = headings(GUIDE / name), headings(KOREAN / name)
    assert [level for level, _ in korean] == [level for level, _ in english], (
        f"ko/{name} has headings {korean}, {name} has {english}"
    )


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_each_page_links_to_the_other_language_first(name):
    english = (GUIDE / name).read_text(encoding="utf-8").splitlines()[0]
    korean = (KOREAN / name).read_text(encoding="utf-8").splitlines()[0]
    assert f"[한국어](ko/{name})" in english
    assert f"[English](../{name})" in korean


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda path: str(path.relative_to(GUIDE)))
def test_every_image_exists(path):
    images = relative_targets(IMAGE, path)
    missing = [target for target in images if not (path.parent / target).is_file()]
    assert not missing, f"{path.relative_to(ROOT)} shows missing images: {missing}"


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda path: str(path.relative_to(GUIDE)))
def test_every_link_and_anchor_exists(path):
    broken = []
    for target in relative_targets(LINK, path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        page = linked.suffix == ".md" and linked.is_file()
        if not linked.exists() or (anchor and page and anchor not in {slug(title) for _, title in headings(linked)}):
            broken.append(target)
    assert not broken, f"{path.relative_to(ROOT)} has broken links: {broken}"


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_korean_pages_show_the_korean_screenshots(name):
    """Where the English page shows an English screenshot the Korean page shows the Korean one (and the other way
    round, for the pages that show one of each language)."""
    swapped = {"-en-": "-ko-", "-ko-": "-en-"}

    def other_language(target):
        return re.sub(r"-(en|ko)-", lambda match: swapped[match.group(0)], Path(target).name)

    english = {other_language(target) for target in relative_targets(IMAGE, GUIDE / name)}
    korean = {Path(target).name for target in relative_targets(IMAGE, KOREAN / name)}
    assert korean == english


@pytest.mark.parametrize("name", KOREAN_PAGES)
def test_korean_pages_are_written_in_korean(name):
    """Mostly Hangul once code, addresses and link targets are taken out (names such as "Tara Trainer", "CSV" or
    "PDF" stay in Latin letters)."""
    text = CODE.sub("", text_of(KOREAN / name))
    text = re.sub(r"\]\([^)]*\)", "]", text)
    hangul, latin = len(HANGUL.findall(text)), len(LATIN.findall(text))
    assert hangul > 0
    assert hangul / (hangul + latin) > 0.75, f"ko/{name}: {hangul} Hangul and {latin} Latin letters"


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda path: str(path.relative_to(GUIDE)))
def test_bold_renders_as_bold(path):
    """CommonMark takes ``**`` after punctuation and before a letter as no emphasis at all, so Korean's particles
    break ``**비밀번호를 잊으셨나요?**를``: the asterisks show. Such a label is followed by a noun (``** 링크를``)."""
    html = MarkdownIt("commonmark").enable("table").render(path.read_text(encoding="utf-8"))
    html = re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)
    shown = [html[max(0, at - 30) : at + 30] for at in (match.start() for match in re.finditer(r"\*\*", html))]
    assert not shown, f"{path.relative_to(ROOT)} shows asterisks: {shown}"


def test_a_slug_keeps_hangul_and_drops_punctuation():
    assert slug("Gym settings (owner only)") == "gym-settings-owner-only"
    assert slug("보는 데이터 선택: 조회 (대표와 어시스턴트)") == "보는-데이터-선택-조회-대표와-어시스턴트"
