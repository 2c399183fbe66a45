"""Photo upload: decoded and re-encoded in two sizes under the gym's schema, every bad file refused, old photo kept."""

import importlib
import io
import os
from pathlib import Path

import pytest
from django.db import connection
from django.urls import clear_url_caches
from PIL import Image, ImageFile

from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.trainers import photos
from apps.trainers.services.profile import photo_remove, photo_set
from tenants.models import Role
from tests.factories import TrainerFactory

from .images import (
    BLUE,
    RED,
    SVG,
    bmp,
    gif,
    jpeg,
    jpeg_with_profile,
    mpo,
    noisy_jpeg,
    open_stored,
    png,
    png_declaring,
    transparent_png,
    truncated,
    upload,
    use_tmp_media,
    webp,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    return tmp_path


@pytest.fixture
def coach(in_gym_a):
    return TrainerFactory(role=Role.TRAINER)


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


def close(red, blue=None, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(red, blue, strict=True))


# --- what is stored ------------------------------------------------------------------------------------------


def test_a_photo_is_stored_in_two_sizes_under_the_gyms_schema(coach, media):
    photo_set(actor=coach, trainer=coach, upload=upload(jpeg(size=(1200, 800))))
    coach.refresh_from_db()
    folder = media / "gym_alpha" / "trainers" / str(coach.pk)
    assert Path(coach.photo_medium.path).parent == folder
    assert Path(coach.photo_small.path).parent == folder
    assert coach.photo_medium.name.startswith(f"trainers/{coach.pk}/")
    assert coach.photo_medium.name.endswith("-medium.jpg")
    assert coach.photo_small.name.endswith("-small.jpg")
    assert coach.photo_medium.url == f"/media/gym_alpha/{coach.photo_medium.name}"
    assert files_under(media) == sorted([f"gym_alpha/{coach.photo_medium.name}", f"gym_alpha/{coach.photo_small.name}"])
    medium, small = open_stored(coach.photo_medium), open_stored(coach.photo_small)
    assert (medium.format, medium.size, medium.mode) == ("JPEG", (400, 267), "RGB")
    assert (small.format, small.size) == ("JPEG", (96, 96))


def test_two_gyms_keep_their_photos_apart(gym_a, gym_b, media):
    stored = {}
    for gym in (gym_a, gym_b):
        connection.set_tenant(gym)
        trainer = TrainerFactory()
        photo_set(actor=trainer, trainer=trainer, upload=upload(jpeg()))
        trainer.refresh_from_db()
        stored[gym.schema_name] = Path(trainer.photo_medium.path)
    assert stored["gym_alpha"].is_relative_to(media / "gym_alpha")
    assert stored["gym_bravo"].is_relative_to(media / "gym_bravo")


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (jpeg(), (400, 200)),
        (png(), (400, 200)),
        (png(mode="RGBA"), (400, 200)),
        (png(mode="P"), (400, 200)),
        (png(mode="L"), (400, 200)),
        (png(mode="I;16"), (400, 200)),
        (webp(), (400, 200)),
        (mpo(), (400, 200)),
        (jpeg_with_profile(), (400, 200)),
        (jpeg(size=(300, 900)), (133, 400)),
        (jpeg(size=(50, 30)), (50, 30)),  # never enlarged
    ],
    ids=["jpeg", "png", "png-rgba", "png-palette", "png-grey", "png-16-bit", "webp", "mpo", "icc", "portrait", "tiny"],
)
def test_jpeg_png_and_webp_are_accepted_and_re_encoded_as_jpeg(coach, data, size):
    photo_set(actor=coach, trainer=coach, upload=upload(data))
    coach.refresh_from_db()
    medium, small = open_stored(coach.photo_medium), open_stored(coach.photo_small)
    assert (medium.format, medium.mode, medium.size) == ("JPEG", "RGB", size)
    assert small.size == (min(96, *size),) * 2
    with Image.open(io.BytesIO(data)) as source:
        top = source.convert("RGB").getpixel((source.width // 2, 2))
    assert close(medium.getpixel((size[0] // 2, 2)), top)  # same picture, whatever the input's kind
    assert not {"exif", "icc_profile", "xmp"} & set(medium.info)


def test_transparency_becomes_white(coach):
    photo_set(actor=coach, trainer=coach, upload=upload(transparent_png(), name="logo.png"))
    coach.refresh_from_db()
    assert open_stored(coach.photo_medium).getpixel((10, 10)) == (255, 255, 255)


def test_exif_is_dropped_and_the_orientation_applied(coach):
    # 600 x 300, red on top; EXIF orientation 6 means "turn 90 degrees clockwise to display".
    photo_set(actor=coach, trainer=coach, upload=upload(jpeg(orientation=6, with_gps=True)))
    coach.refresh_from_db()
    medium = open_stored(coach.photo_medium)
    assert medium.size == (200, 400)  # portrait now
    assert close(medium.getpixel((190, 200)), RED)  # the top went to the right
    assert close(medium.getpixel((10, 200)), BLUE)
    for stored in (medium, open_stored(coach.photo_small)):
        assert dict(stored.getexif()) == {}
        assert not {"exif", "xmp", "icc_profile"} & set(stored.info)
    with coach.photo_medium.open("rb") as handle:
        raw = handle.read()
    assert b"Exif" not in raw
    assert b"TestCam" not in raw


def test_a_photo_with_an_upright_orientation_keeps_its_shape(coach):
    photo_set(actor=coach, trainer=coach, upload=upload(jpeg(orientation=1)))
    coach.refresh_from_db()
    medium = open_stored(coach.photo_medium)
    assert medium.size == (400, 200)
    assert close(medium.getpixel((200, 10)), RED)


# --- refusals ------------------------------------------------------------------------------------------------

NOT_ACCEPTED = "images are not accepted. Upload a JPEG, PNG or WebP photo."
TOO_MANY_PIXELS = "This image has too many pixels (at most 40 megapixels). Upload a smaller photo."
DAMAGED = "This image is damaged or incomplete. Upload it again, or choose another photo."

REFUSALS = [
    ("text", b"name,email\nTara,tara@example.com\n", "notes.jpg", "This file is not an image."),
    ("pdf-lookalike", b"\x00\x01\x02garbage" * 100, "photo.png", "This file is not an image."),
    ("empty", b"", "photo.jpg", "The file is empty."),
    ("gif", gif(), "photo.gif", "GIF " + NOT_ACCEPTED),
    ("bmp", bmp(), "photo.bmp", "BMP " + NOT_ACCEPTED),
    ("svg", SVG, "photo.svg", "SVG " + NOT_ACCEPTED),
    ("svg-named-jpeg", SVG, "photo.jpg", "SVG " + NOT_ACCEPTED),
    ("over-5-mb", b"\xff\xd8\xff" + os.urandom(5 * 1024 * 1024), "big.jpg", "This file is larger than 5 MB."),
    ("bomb", png_declaring(20_000, 20_000), "bomb.png", TOO_MANY_PIXELS),  # past Pillow's own hard limit
    ("pillow-warning", png_declaring(10_000, 10_000), "bomb.png", TOO_MANY_PIXELS),  # Pillow only warns
    ("over-40-megapixels", png_declaring(7_000, 6_000), "big.png", TOO_MANY_PIXELS),  # our own limit
    ("truncated-jpeg", truncated(noisy_jpeg()), "cut.jpg", DAMAGED),
    ("truncated-png", truncated(png(size=(400, 400))), "cut.png", DAMAGED),
    ("png-without-data", png_declaring(300, 200)[:-12], "cut.png", DAMAGED),
]


@pytest.fixture
def coach_with_photo(coach):
    photo_set(actor=coach, trainer=coach, upload=upload(jpeg()))
    coach.refresh_from_db()
    return coach


@pytest.mark.parametrize(("data", "name", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_a_bad_file_is_refused_and_the_old_photo_stays(coach_with_photo, media, data, name, message):
    coach = coach_with_photo
    before = (coach.photo_medium.name, coach.photo_small.name)
    files = files_under(media)
    entries = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as refused:
        photo_set(actor=coach, trainer=coach, upload=upload(data, name=name))
    assert refused.value.message.startswith(message)
    assert refused.value.field == "photo"
    coach.refresh_from_db()
    assert (coach.photo_medium.name, coach.photo_small.name) == before
    assert files_under(media) == files  # nothing written, nothing removed
    assert AuditEntry.objects.count() == entries
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize("side", [10_000, 20_000], ids=["pillow-warning", "pillow-error"])
def test_pillows_bomb_checks_refuse_even_under_a_higher_own_limit(coach, monkeypatch, side):
    monkeypatch.setattr(photos, "MAX_PIXELS", 10**12)
    with pytest.raises(ApplicationError, match="too many pixels"):
        photo_set(actor=coach, trainer=coach, upload=upload(png_declaring(side, side)))


def test_exactly_5_mb_is_still_accepted_by_the_size_check(coach):
    data = noisy_jpeg((1600, 1600))
    padded = data + b"\x00" * (5 * 1024 * 1024 - len(data))  # bytes after the JPEG's end marker are ignored
    assert len(padded) == 5 * 1024 * 1024
    photo_set(actor=coach, trainer=coach, upload=upload(padded))
    coach.refresh_from_db()
    assert coach.photo_medium


# --- replacing and removing ----------------------------------------------------------------------------------


def test_replacing_removes_the_old_files_once_committed(coach_with_photo, django_capture_on_commit_callbacks):
    coach = coach_with_photo
    old = [Path(coach.photo_medium.path), Path(coach.photo_small.path)]
    with django_capture_on_commit_callbacks() as callbacks:
        photo_set(actor=coach, trainer=coach, upload=upload(png()))
    assert all(path.exists() for path in old)  # not committed yet: the old photo is still the saved one
    for callback in callbacks:
        callback()
    assert not any(path.exists() for path in old)
    coach.refresh_from_db()
    assert Path(coach.photo_medium.path).exists()
    assert Path(coach.photo_small.path).exists()


def test_a_failed_save_removes_the_new_files(coach, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("apps.trainers.services.profile.audit_record", broken)
    with pytest.raises(RuntimeError):
        photo_set(actor=coach, trainer=coach, upload=upload(jpeg()))
    assert files_under(media) == []


def test_removing_the_photo(coach_with_photo, django_capture_on_commit_callbacks):
    coach = coach_with_photo
    old_names = [coach.photo_medium.name, coach.photo_small.name]
    old = [Path(coach.photo_medium.path), Path(coach.photo_small.path)]
    with django_capture_on_commit_callbacks(execute=True):
        photo_remove(actor=coach, trainer=coach)
    coach.refresh_from_db()
    assert not coach.photo_medium
    assert not coach.photo_small
    assert not any(path.exists() for path in old)
    entry = AuditEntry.objects.get(action="trainer.photo_remove")
    assert entry.changes == {"photo_medium": [old_names[0], ""], "photo_small": [old_names[1], ""]}
    assert (entry.actor_id, entry.target_type, entry.target_id) == (coach.pk, "trainers.trainer", str(coach.pk))


def test_removing_when_there_is_no_photo_changes_nothing(coach):
    photo_remove(actor=coach, trainer=coach)
    assert not AuditEntry.objects.filter(action="trainer.photo_remove").exists()


def test_setting_a_photo_is_audited(coach):
    photo_set(actor=coach, trainer=coach, upload=upload(jpeg()))
    coach.refresh_from_db()
    entry = AuditEntry.objects.get(action="trainer.photo_set")
    assert entry.changes == {
        "photo_medium": ["", coach.photo_medium.name],
        "photo_small": ["", coach.photo_small.name],
    }
    assert entry.sentence == f"Photo of {coach.display_name} updated."


# --- who may ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("senior", False), ("trainer", False), ("assistant", False)]
)
def test_only_the_trainer_and_the_owner_change_a_photo(coach, role, allowed):
    actor = TrainerFactory(role=role)
    if allowed:
        photo_set(actor=actor, trainer=coach, upload=upload(jpeg()))
        photo_remove(actor=actor, trainer=coach)
        return
    with pytest.raises(ApplicationError, match="You cannot change this profile."):
        photo_set(actor=actor, trainer=coach, upload=upload(jpeg()))
    with pytest.raises(ApplicationError, match="You cannot change this profile."):
        photo_remove(actor=actor, trainer=coach)


# --- through the pages -----------------------------------------------------------------------------------------


def gym_member(gym, role=Role.TRAINER):
    connection.set_tenant(gym)
    trainer = TrainerFactory(role=role)
    connection.set_schema_to_public()
    return trainer


def reload_from_gym(gym, trainer):
    connection.set_tenant(gym)
    trainer.refresh_from_db()
    connection.set_schema_to_public()
    return trainer


def test_uploading_from_the_edit_page(gym_a, client_a):
    coach = gym_member(gym_a)
    client_a.login_as(coach)
    response = client_a.post(f"/trainers/{coach.pk}/photo/", {"photo": upload(jpeg())}, follow=True)
    assert response.redirect_chain == [(f"/trainers/{coach.pk}/edit/", 302)]
    assert b"Photo updated." in response.content
    coach = reload_from_gym(gym_a, coach)
    assert coach.photo_medium.name
    assert f'src="/media/gym_alpha/{coach.photo_medium.name}"'.encode() in response.content


def test_a_refused_upload_is_shown_on_the_form_and_the_old_photo_stays(gym_a, client_a):
    coach = gym_member(gym_a)
    client_a.login_as(coach)
    client_a.post(f"/trainers/{coach.pk}/photo/", {"photo": upload(jpeg())})
    before = reload_from_gym(gym_a, coach).photo_medium.name
    response = client_a.post(f"/trainers/{coach.pk}/photo/", {"photo": upload(gif(), name="a.gif")})
    assert response.status_code == 400
    assert b"GIF images are not accepted. Upload a JPEG, PNG or WebP photo." in response.content
    assert reload_from_gym(gym_a, coach).photo_medium.name == before


def test_posting_without_a_file_asks_for_one(gym_a, client_a):
    coach = gym_member(gym_a)
    response = client_a.login_as(coach).post(f"/trainers/{coach.pk}/photo/", {})
    assert response.status_code == 400
    assert b"This field is required." in response.content


@pytest.mark.parametrize("role", [Role.SENIOR, Role.TRAINER, Role.ASSISTANT])
def test_a_colleagues_photo_answers_404(gym_a, client_a, role):
    coach = gym_member(gym_a)
    client_a.login_as(gym_member(gym_a, role))
    assert client_a.post(f"/trainers/{coach.pk}/photo/", {"photo": upload(jpeg())}).status_code == 404
    assert client_a.post(f"/trainers/{coach.pk}/photo/remove/").status_code == 404
    assert not reload_from_gym(gym_a, coach).photo_medium


def test_the_owner_removes_a_photo_from_the_edit_page(gym_a, client_a):
    coach = gym_member(gym_a)
    client_a.login_as(gym_member(gym_a, Role.OWNER))
    client_a.post(f"/trainers/{coach.pk}/photo/", {"photo": upload(jpeg())})
    assert reload_from_gym(gym_a, coach).photo_medium
    response = client_a.post(f"/trainers/{coach.pk}/photo/remove/", follow=True)
    assert b"Photo removed." in response.content
    assert not reload_from_gym(gym_a, coach).photo_medium


# --- serving media in development ------------------------------------------------------------------------------


@pytest.fixture
def debug_media_urls(settings):
    """config/urls_tenant.py adds the media route only under DEBUG: load it as a development server would."""
    import config.urls_tenant

    settings.DEBUG = True
    importlib.reload(config.urls_tenant)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls_tenant)
    clear_url_caches()


def body(response):
    try:
        return b"".join(response.streaming_content) if response.streaming else response.content
    finally:
        response.close()


def photo_of_new_member(gym):
    connection.set_tenant(gym)
    trainer = TrainerFactory()
    photo_set(actor=trainer, trainer=trainer, upload=upload(jpeg()))
    trainer.refresh_from_db()
    url, path = trainer.photo_medium.url, trainer.photo_medium.path
    connection.set_schema_to_public()
    return url, Path(path).read_bytes()


def test_in_development_a_gym_serves_its_own_media(gym_a, client_a, debug_media_urls):
    url, data = photo_of_new_member(gym_a)
    assert url.startswith("/media/gym_alpha/trainers/")
    response = client_a.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == data


def test_in_development_a_gym_never_serves_another_gyms_media(gym_a, gym_b, client_a, client_b, debug_media_urls):
    url, _data = photo_of_new_member(gym_b)
    name = url.removeprefix("/media/gym_bravo/")
    assert client_b.get(url).status_code == 200
    for attempt in (
        url,  # gym B's URL on gym A's host
        f"/media/gym_alpha/../gym_bravo/{name}",
        f"/media/gym_alpha/%2e%2e/gym_bravo/{name}",
        f"/media/gym_alpha/{name}",  # gym B's name inside gym A's folder: not there
        f"/media/gym_alpha/../../{name}",
    ):
        response = client_a.get(attempt)
        assert response.status_code in {400, 404}, attempt
        body(response)


def test_media_are_not_served_by_the_application_outside_development(gym_a, client_a):
    url, _data = photo_of_new_member(gym_a)
    assert client_a.get(url).status_code == 404


def test_the_platform_host_serves_no_media(gym_a, root_client, debug_media_urls):
    url, _data = photo_of_new_member(gym_a)
    assert root_client.get(url).status_code == 404


def test_stored_files_are_plain_jpeg(coach):
    photo_set(actor=coach, trainer=coach, upload=upload(webp()))
    coach.refresh_from_db()
    with Image.open(coach.photo_small.path) as image:
        assert image.format == "JPEG"
