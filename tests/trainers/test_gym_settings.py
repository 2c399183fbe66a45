"""The owner's gym settings page (/team/settings/): name, timezone, late-cancellation window, logo, accent colour and
report paper size. Owner only; every field's error at once; the logo checked and re-encoded like a trainer's photo
but kept transparent; the change audited and seen by the next request."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from PIL import Image, ImageFile

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.team.gym_settings import gym_settings_update, process_logo
from tenants.branding import organization_settings_save
from tenants.models import DEFAULT_ACCENT_COLOUR, Organization, PaperSize, Role
from tests.support import in_gym, member

from .images import (
    SVG,
    encode,
    gif,
    jpeg,
    noisy_jpeg,
    png,
    png_declaring,
    transparent_png,
    truncated,
    upload,
    use_tmp_media,
)

URL = "/team/settings/"
LOGO_NAME = re.compile(r"branding/logo-[0-9a-f]{16}\.png")
WATCHED = (
    "name",
    "timezone",
    "late_cancellation_hours",
    "accent_colour",
    "paper_size",
    "logo",
    "currency",
    "default_vat_rate",
    "default_pricing_mode",
    "default_card_fee_rate",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    return tmp_path


@pytest.fixture
def owner(gym_a):
    return member(gym_a, Role.OWNER, user__full_name="Olga Owner")


@pytest.fixture
def as_owner(client_a, owner):
    return client_a.login_as(owner)


def gym(slug="alpha"):
    return Organization.objects.get(slug=slug)


def state(slug="alpha"):
    organization = gym(slug)
    return {field: getattr(organization, field) if field != "logo" else organization.logo.name for field in WATCHED}


def audit_entries(organization):
    return in_gym(organization, lambda: list(AuditEntry.objects.filter(action="organization.settings_update")))


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


def valid(**overrides):
    data = {
        "name": "Alpha Gym",
        "timezone": "UTC",
        "late_cancellation_hours": "24",
        "accent_colour": DEFAULT_ACCENT_COLOUR,
        "paper_size": "A4",
        # The money defaults as the test gyms have them (tests/trainers/test_gym_money_settings.py changes them).
        "currency": "USD",
        "default_vat_percent": "0",
        "default_pricing_mode": "inclusive",
        "default_card_fee_percent": "0",
    }
    return {**data, **overrides}


def stored(organization):
    def read():
        with organization.logo.storage.open(organization.logo.name, "rb") as handle:
            return handle.read()

    data = in_gym(organization, read)  # the storage's folder is the active schema's
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def half_transparent_png(size=(300, 100)):
    """Left half opaque red, right half fully transparent."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, size[0] // 2, size[1]))
    return encode(image, "PNG")


# --- the page and who may use it -----------------------------------------------------------------------------------


def test_the_owner_sees_the_gyms_settings(as_owner):
    response = as_owner.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Gym settings · Alpha Gym</title>" in content
    assert 'name="name" value="Alpha Gym"' in content
    assert '<option value="UTC" selected>UTC</option>' in content
    assert '<option value="Asia/Seoul">Asia/Seoul</option>' in content
    assert 'type="color" name="accent_colour" value="#0f766e"' in content
    assert 'value="A4"' in content and 'value="letter"' in content
    assert 'name="remove_logo"' not in content  # no logo yet, nothing to remove
    assert f'href="{URL}"' in content  # the owner's menu link


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_every_other_role_gets_403_and_changes_nothing(gym_a, client_a, role):
    client_a.login_as(member(gym_a, role))
    before = state()
    assert client_a.get(URL).status_code == 403
    response = client_a.post(URL, valid(name="Taken Over", logo=upload(png(), name="logo.png")))
    assert response.status_code == 403
    assert state() == before
    assert audit_entries(gym_a) == []
    assert f'href="{URL}"'.encode() not in client_a.get("/").content  # and no menu link


def test_a_deactivated_owner_and_a_visitor_are_sent_to_sign_in(gym_a, client_a):
    response = client_a.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")
    client_a.login_as(member(gym_a, Role.OWNER, is_active=False))
    response = client_a.post(URL, valid(name="Ghost"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert gym().name == "Alpha Gym"


# --- the owner changes everything -----------------------------------------------------------------------------------


def test_the_owner_changes_everything_and_the_next_request_shows_it(
    gym_a, as_owner, owner, media, django_capture_on_commit_callbacks
):
    assert b"Alpha Gym" in as_owner.get("/").content  # the host's organization is now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = as_owner.post(
            URL,
            {
                "name": "  Alpha   Strength Lab ",
                "timezone": "Asia/Seoul",
                "late_cancellation_hours": "12",
                "accent_colour": "#1D4ED8",
                "paper_size": "letter",
                "logo": upload(half_transparent_png(), name="logo.png", content_type="image/png"),
                "currency": "KRW",
                "default_vat_percent": "10",
                "default_pricing_mode": "exclusive",
                "default_card_fee_percent": "2.75",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == URL
    organization = gym()
    assert state() == {
        "name": "Alpha Strength Lab",
        "timezone": "Asia/Seoul",
        "late_cancellation_hours": 12,
        "accent_colour": "#1d4ed8",
        "paper_size": PaperSize.LETTER,
        "logo": organization.logo.name,
        "currency": "KRW",
        "default_vat_rate": Decimal("0.1000"),
        "default_pricing_mode": "exclusive",
        "default_card_fee_rate": Decimal("0.0275"),
    }
    assert LOGO_NAME.fullmatch(organization.logo.name)
    assert files_under(media) == [f"gym_alpha/{organization.logo.name}"]
    # What the report engineer reads.
    assert (organization.accent_colour, organization.paper_size) == ("#1d4ed8", "letter")

    response = as_owner.get(URL)  # the next request: title, top bar and the form all new
    page = response.content.decode()
    assert "<title>Gym settings · Alpha Strength Lab</title>" in page
    assert '<a class="brand" href="/">Alpha Strength Lab</a>' in page
    assert "Gym settings saved." in page
    assert '<option value="Asia/Seoul" selected>' in page
    assert f'<img src="/media/gym_alpha/{organization.logo.name}"' in page
    assert 'name="remove_logo"' in page
    # The request's gym (from the host cache, cleared by the save) is the new row: its days are Seoul's now.
    assert (response.wsgi_request.tenant.name, response.wsgi_request.tenant.timezone) == (
        "Alpha Strength Lab",
        "Asia/Seoul",
    )


def test_the_other_gym_is_untouched(gym_b, as_owner):
    before = state("bravo")
    as_owner.post(URL, valid(name="Alpha Two", accent_colour="#000000", logo=upload(png(), name="logo.png")))
    assert gym().name == "Alpha Two"
    assert state("bravo") == before


def test_the_change_is_audited(gym_a, as_owner, owner):
    as_owner.post(URL, valid(name="Alpha Prime", paper_size="letter", logo=upload(png(), name="l.png")))
    [entry] = audit_entries(gym_a)
    logo = gym().logo.name
    assert (entry.actor_id, entry.actor_name, entry.target_type, entry.target_id, entry.target_repr) == (
        owner.pk,
        "Olga Owner",
        "tenants.organization",
        str(gym_a.pk),
        "Alpha Prime",
    )
    assert entry.changes == {"name": ["Alpha Gym", "Alpha Prime"], "paper_size": ["A4", "letter"], "logo": ["", logo]}
    assert entry.sentence == "Gym settings changed: name, report paper size, logo."


def test_saving_unchanged_settings_writes_nothing(gym_a, as_owner):
    response = as_owner.post(URL, valid())
    assert response.status_code == 302
    assert audit_entries(gym_a) == []


def test_colours_are_written_as_lowercase_hash_and_six_digits(as_owner):
    as_owner.post(URL, valid(accent_colour=" ABCDEF "))
    assert gym().accent_colour == "#abcdef"


# --- every field's error at once, nothing changed -------------------------------------------------------------------


def test_bad_input_answers_400_with_every_fields_error_and_changes_nothing(gym_a, as_owner, media):
    before = state()
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    response = as_owner.post(
        URL,
        {
            "name": "   ",
            "timezone": "Mars/Olympus_Mons",
            "late_cancellation_hours": "400",
            "accent_colour": "teal",
            "paper_size": "A3",
            "logo": upload(pdf, name="logo.png", content_type="image/png"),
            "currency": "ZZZ",
            "default_vat_percent": "100",
            "default_pricing_mode": "both",
            "default_card_fee_percent": "-1",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    rate_message = "Enter a percentage from 0 to below 100, with at most two decimals (such as 10 or 2.75)."
    assert errors == {
        "currency": ["Choose a currency from the list (an ISO 4217 code such as KRW, USD or EUR)."],
        "default_vat_percent": [rate_message],
        "default_pricing_mode": ["Select a valid choice. both is not one of the available choices."],
        "default_card_fee_percent": [rate_message],
        "name": ["This field is required."],
        "timezone": ["Unknown timezone “Mars/Olympus_Mons”."],
        "late_cancellation_hours": ["Enter a whole number of hours from 0 to 336."],
        "accent_colour": ["Enter a colour as # and six hex digits, like #0f766e."],
        "paper_size": ["Select a valid choice. A3 is not one of the available choices."],
        "logo": ["PDF images are not accepted. Upload a PNG, JPEG or WebP logo."],
    }
    content = response.content.decode()
    assert "Nothing was saved." in content
    for messages in errors.values():
        assert messages[0].replace("“", "&ldquo;").replace("”", "&rdquo;") in content or messages[0] in content
    assert state() == before
    assert files_under(media) == []
    assert audit_entries(gym_a) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required."),
        ("#0f766", "Enter a colour as # and six hex digits, like #0f766e."),
        ("#0f766e0", "Ensure this value has at most 7 characters (it has 8)."),
        ("#gg0000", "Enter a colour as # and six hex digits, like #0f766e."),
        ("rgb(0,0,0)", "Ensure this value has at most 7 characters (it has 10)."),
        ("#fff", "Enter a colour as # and six hex digits, like #0f766e."),
    ],
)
def test_bad_colours(as_owner, value, message):
    response = as_owner.post(URL, valid(accent_colour=value))
    assert response.status_code == 400
    assert response.context["form"].errors == {"accent_colour": [message]}
    assert gym().accent_colour == DEFAULT_ACCENT_COLOUR


@pytest.mark.parametrize("value", ["", "Seoul", "asia/seoul", "../../etc/passwd", "UTC\x00", "x" * 5000])
def test_bad_timezones(as_owner, value):
    response = as_owner.post(URL, valid(timezone=value))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["timezone"]
    assert gym().timezone == "UTC"


@pytest.mark.parametrize("value", ["", "-1", "1.5", "337", "abc", "9" * 400])
def test_bad_late_cancellation_hours(as_owner, value):
    response = as_owner.post(URL, valid(late_cancellation_hours=value))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["late_cancellation_hours"]
    assert gym().late_cancellation_hours == 24


def test_the_window_may_be_zero_or_two_weeks(as_owner):
    for hours in (0, 336):
        assert as_owner.post(URL, valid(late_cancellation_hours=str(hours))).status_code == 302
        assert gym().late_cancellation_hours == hours


@pytest.mark.parametrize("name", ["", " \t ", "x" * 121])
def test_bad_names(as_owner, name):
    response = as_owner.post(URL, valid(name=name))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    assert gym().name == "Alpha Gym"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello, this is text", "logo.png", "This file is not an image. Upload a PNG, JPEG or WebP logo."),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "logo.png", "PDF images are not accepted. Upload a PNG, JPEG or WebP logo."),
        (SVG, "logo.svg", "SVG images are not accepted. Upload a PNG, JPEG or WebP logo."),
        (None, "logo.gif", "GIF images are not accepted. Upload a PNG, JPEG or WebP logo."),
        (b"", "logo.png", "The submitted file is empty."),
        (
            png_declaring(10_000, 10_000),
            "bomb.png",
            "This image has too many pixels (at most 40 megapixels). Upload a smaller logo.",
        ),
        (None, "cut.jpg", "This image is damaged or incomplete. Upload it again, or choose another logo."),
    ],
)
def test_bad_logos_are_refused_and_nothing_is_stored(gym_a, as_owner, media, data, name, message):
    if name == "logo.gif":
        data = gif()
    elif name == "cut.jpg":
        data = truncated(noisy_jpeg())
    response = as_owner.post(URL, valid(name="Renamed", logo=upload(data, name=name)))
    assert response.status_code == 400
    assert response.context["form"].errors == {"logo": [message]}
    assert state()["name"] == "Alpha Gym"  # the valid fields of a refused post are not saved either
    assert files_under(media) == []


@pytest.mark.parametrize("data", [truncated(noisy_jpeg()), truncated(png(size=(400, 400)))], ids=["jpeg", "png"])
def test_a_truncated_logo_is_refused_even_where_truncated_images_are_allowed(data, monkeypatch):
    # WeasyPrint's import allows them process-wide (apps/reports/pdf.py turns that off again; belt and braces).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ApplicationError, match="damaged or incomplete"):
        process_logo(io.BytesIO(data))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the process-wide setting is given back


def test_a_logo_over_5_mb_is_refused(as_owner, media):
    big = upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024), name="huge.png")
    response = as_owner.post(URL, valid(logo=big))
    assert response.status_code == 400
    assert response.context["form"].errors == {"logo": ["This file is larger than 5 MB. Upload a smaller logo."]}
    assert files_under(media) == []


def test_uploading_and_removing_at_once_is_refused(as_owner, media):
    as_owner.post(URL, valid(logo=upload(png(), name="a.png")))
    first = gym().logo.name
    response = as_owner.post(URL, valid(logo=upload(png(), name="b.png"), remove_logo="on"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "remove_logo": ["Upload a new logo or remove the current one, not both."]
    }
    assert gym().logo.name == first
    assert files_under(media) == [f"gym_alpha/{first}"]


# --- the logo: re-encoded, transparent, replaced, removed ----------------------------------------------------------


def test_a_logo_is_re_encoded_as_png_without_metadata(as_owner):
    original = jpeg(size=(600, 300), orientation=6, with_gps=True)
    as_owner.post(URL, valid(logo=upload(original, name="logo.jpg")))
    data, image = stored(gym())
    assert image.format == "PNG"
    assert image.size == (200, 400)  # turned upright (EXIF orientation 6), then fitted into 800 x 400
    assert image.mode == "RGB"  # no transparency to keep
    assert not image.getexif()
    assert set(image.info) <= {"dpi"} and "exif" not in image.info and "icc_profile" not in image.info
    assert b"TestCam" not in data and b"Exif" not in data


def test_a_transparent_png_keeps_its_transparency(as_owner):
    as_owner.post(URL, valid(logo=upload(half_transparent_png((300, 100)), name="logo.png")))
    _data, image = stored(gym())
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (300, 100))
    assert image.getpixel((10, 50)) == (255, 0, 0, 255)
    assert image.getpixel((290, 50))[3] == 0


def test_a_palette_png_with_a_transparent_colour_stays_transparent():
    image = Image.new("P", (40, 20), 0)
    image.putpalette([255, 255, 255, 0, 0, 255] + [0] * 762)
    image.paste(1, (0, 0, 20, 20))
    processed = process_logo(io.BytesIO(encode(image, "PNG", transparency=0)))
    result = Image.open(io.BytesIO(processed.png))
    assert (result.mode, processed.transparent) == ("RGBA", True)
    assert result.getpixel((5, 5)) == (0, 0, 255, 255)
    assert result.getpixel((35, 5))[3] == 0


def test_a_fully_opaque_rgba_logo_is_stored_without_alpha():
    processed = process_logo(io.BytesIO(png(size=(100, 50), mode="RGBA")))
    assert (processed.transparent, Image.open(io.BytesIO(processed.png)).mode) == (False, "RGB")
    fully_transparent = process_logo(io.BytesIO(transparent_png()))
    assert fully_transparent.transparent


@pytest.mark.parametrize(
    ("size", "fitted"), [((1600, 400), (800, 200)), ((400, 1200), (133, 400)), ((40, 20), (40, 20))]
)
def test_a_logo_is_scaled_down_to_fit_800_by_400_never_up(size, fitted):
    assert process_logo(io.BytesIO(png(size=size))).size == fitted


def test_a_new_logo_replaces_the_old_one_whose_file_goes_after_commit(
    as_owner, media, django_capture_on_commit_callbacks
):
    as_owner.post(URL, valid(logo=upload(png(), name="a.png")))
    first = gym().logo.name
    with django_capture_on_commit_callbacks(execute=True):
        as_owner.post(URL, valid(logo=upload(half_transparent_png(), name="b.png")))
    second = gym().logo.name
    assert LOGO_NAME.fullmatch(second) and second != first
    assert files_under(media) == [f"gym_alpha/{second}"]


def test_removing_the_logo(gym_a, as_owner, media, django_capture_on_commit_callbacks):
    as_owner.post(URL, valid(logo=upload(png(), name="a.png")))
    name = gym().logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = as_owner.post(URL, valid(remove_logo="on"))
    assert response.status_code == 302
    assert gym().logo.name == ""
    assert files_under(media) == []
    assert {"logo": [name, ""]} in [entry.changes for entry in audit_entries(gym_a)]
    page = as_owner.get(URL).content.decode()
    assert "No logo yet" in page and 'name="remove_logo"' not in page


def test_removing_when_there_is_no_logo_changes_nothing(gym_a, as_owner):
    # The checkbox is not offered then; a forged one is ignored like any unknown field.
    assert as_owner.post(URL, valid(remove_logo="on")).status_code == 302
    assert audit_entries(gym_a) == []


# --- the service itself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_the_service_refuses_everyone_but_the_owner(gym_a, role):
    actor = member(gym_a, role)
    with pytest.raises(ApplicationError, match="Only the owner"):
        in_gym(gym_a, gym_settings_update, actor=actor, **_service_args(name="Nope"))
    assert gym().name == "Alpha Gym"


def _service_args(**overrides):
    return {
        "name": "Alpha Gym",
        "timezone_name": "UTC",
        "late_cancellation_hours": 24,
        "accent_colour": DEFAULT_ACCENT_COLOUR,
        "paper_size": "A4",
        **overrides,
    }


def test_the_service_takes_a_raw_upload_and_checks_every_value(gym_a, owner, media):
    organization = in_gym(
        gym_a, gym_settings_update, actor=owner, **_service_args(logo=upload(png(), name="x.png"), paper_size="letter")
    )
    assert LOGO_NAME.fullmatch(organization.logo.name) and organization.paper_size == "letter"
    for field, overrides in [
        ("name", {"name": ""}),
        ("timezone", {"timezone_name": "Nowhere/City"}),
        ("late_cancellation_hours", {"late_cancellation_hours": 337}),
        ("accent_colour", {"accent_colour": "#12"}),
        ("paper_size", {"paper_size": "A5"}),
        ("logo", {"logo": upload(b"not an image", name="x.png")}),
    ]:
        with pytest.raises(ApplicationError) as refused:
            in_gym(gym_a, gym_settings_update, actor=owner, **_service_args(**overrides))
        assert refused.value.field == field


def test_the_platform_schema_has_no_gym_to_change(db):
    connection.set_schema_to_public()
    with pytest.raises(ApplicationError, match="gym's own site"):
        organization_settings_save(
            name="X", timezone_name="UTC", late_cancellation_hours=1, accent_colour="#000000", paper_size="A4"
        )


def test_a_failing_audit_leaves_no_file_behind(gym_a, media):
    def record(organization, changes):
        raise RuntimeError("audit down")

    with pytest.raises(RuntimeError):
        in_gym(
            gym_a,
            organization_settings_save,
            **_service_args(logo_png=process_logo(io.BytesIO(png())).png),
            record=record,
        )
    assert files_under(media) == []
    assert gym().logo.name == ""
