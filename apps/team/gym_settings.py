"""The gym's settings page's write: the owner changes the gym's name, timezone, late-cancellation window, money
defaults (currency, VAT rate and mode, card fee rate), the packages' expiry policy and branding (logo, accent colour,
report paper size).

The row is the public schema's Organization (``tenants.branding`` writes it); this module adds what that layer
cannot import: who may do it, the logo's decoding (the trainer photos' rules, ``apps.trainers.photos``) and the
audit entry, all in one transaction.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from apps.access import can_edit_gym_settings
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError, FieldErrors
from apps.trainers import photos
from tenants.branding import Changes, organization_settings_save, organization_setup_checklist_dismiss
from tenants.models import Organization

if TYPE_CHECKING:
    from apps.trainers.models import Trainer

#: The logo is scaled down (never up) to fit this box: wide logos stay sharp in a report's header.
LOGO_BOX = (800, 400)


_strict_decoding = threading.Lock()


@contextmanager
def _truncated_files_refused() -> Iterator[None]:
    """Make Pillow refuse a truncated file while a logo is decoded.

    WeasyPrint (imported with the PDF reports, so in every web process) sets Pillow's process-wide
    ``ImageFile.LOAD_TRUNCATED_IMAGES`` to True, which makes ``load()`` fill a cut-off upload with grey instead of
    failing. The flag is set back afterwards; the lock keeps two logo uploads from restoring each other's value.
    A PDF drawn meanwhile in another thread would refuse a truncated image too: the reports only show images that
    went through this module or ``apps.trainers.photos``, which are whole.
    """
    with _strict_decoding:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


@dataclass(frozen=True)
class ProcessedLogo:
    """A logo upload, decoded and re-encoded as PNG (transparency kept, no metadata)."""

    png: bytes
    size: tuple[int, int]
    transparent: bool


def _refuse(message: str) -> None:
    raise ApplicationError(message, {"field": "logo"})


def _refuse_too_many_pixels() -> None:
    _refuse(
        _("This image has too many pixels (at most %(megapixels)d megapixels). Upload a smaller logo.")
        % {"megapixels": photos.MAX_PIXELS // 1_000_000}
    )


def _refuse_damaged() -> None:
    _refuse(_("This image is damaged or incomplete. Upload it again, or choose another logo."))


def _open(upload: IO[bytes]) -> Image.Image:
    head = upload.read(512)
    upload.seek(0)
    try:
        return Image.open(upload, formats=photos.ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        other = photos._other_format(head)
        if other:
            _refuse(_("%(format)s images are not accepted. Upload a PNG, JPEG or WebP logo.") % {"format": other})
        _refuse(_("This file is not an image. Upload a PNG, JPEG or WebP logo."))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse_too_many_pixels()
    except photos.DECODE_ERRORS:
        _refuse_damaged()
    raise AssertionError("unreachable")  # every branch above raises


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (image.mode == "P" and "transparency" in image.info)


def _srgb_keeping_alpha(image: Image.Image) -> Image.Image:
    """sRGB pixels (the photos' conversion: profile applied, then dropped) with the image's transparency kept.

    A logo without any transparent pixel comes back as RGB.
    """
    if not _has_alpha(image):
        return photos._to_srgb(image)
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    colours = rgba.convert("RGB")
    colours.info = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    pixels = photos._to_srgb(colours)
    if alpha.getextrema() == (255, 255):
        return pixels  # declared transparency that no pixel uses
    pixels.putalpha(alpha)
    return pixels


def process_logo(upload: IO[bytes]) -> ProcessedLogo:
    """Validate and re-encode a logo upload like a trainer's photo (JPEG, PNG or WebP, 5 MB, 40 megapixels, EXIF
    orientation applied, colours in sRGB, every metadata block dropped), but as a PNG that keeps its transparency,
    scaled down to fit ``LOGO_BOX``. Refusals raise ApplicationError({"field": "logo"}).
    """
    size = photos._size_of(upload)
    if size == 0:
        _refuse(_("The file is empty."))
    if size > photos.MAX_BYTES:
        _refuse(
            _("This file is larger than %(limit)d MB. Upload a smaller logo.") % {"limit": photos.MAX_BYTES // 2**20}
        )
    # As in process_photo, a huge declared canvas is refused, not decoded.
    with _truncated_files_refused(), warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(upload)
        with image:
            if image.width * image.height > photos.MAX_PIXELS:
                _refuse_too_many_pixels()
            try:
                image.draft("RGB", LOGO_BOX)  # JPEG only: decode at a fraction of a far bigger photo's size
                image.load()  # a truncated file raises here
                pixels = _srgb_keeping_alpha(ImageOps.exif_transpose(image))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                _refuse_too_many_pixels()
            except photos.DECODE_ERRORS:
                _refuse_damaged()
    pixels.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
    pixels.info = {}  # nothing of the upload but its pixels: Pillow writes only what save() is given
    buffer = io.BytesIO()
    pixels.save(buffer, "PNG", optimize=True)
    return ProcessedLogo(png=buffer.getvalue(), size=pixels.size, transparent=pixels.mode == "RGBA")


def _audit(actor: Trainer) -> Callable[[Organization, Changes], None]:
    def record(organization: Organization, changes: Changes) -> None:
        audit_record(
            actor=actor,
            event="organization.settings_update",
            target=organization,
            params={"fields": list(changes)},
            changes=changes,
        )

    return record


@transaction.atomic
def gym_settings_update(
    *,
    actor: Trainer,
    name: str,
    timezone_name: str,
    late_cancellation_hours: int | str,
    accent_colour: str,
    paper_size: str,
    currency: str | None = None,
    default_vat_rate: Decimal | str | None = None,
    default_pricing_mode: str | None = None,
    default_card_fee_rate: Decimal | str | None = None,
    reminder_hours: int | str | None = None,
    package_expiry_policy: str | None = None,
    package_extension_days: int | str | None = None,
    logo: IO[bytes] | ProcessedLogo | None = None,
    remove_logo: bool = False,
) -> Organization:
    """Change the settings of the gym whose schema is active (the actor's), audited; return its fresh row.

    ``logo`` is an uploaded file (checked and re-encoded here) or the ``ProcessedLogo`` the form already made of it;
    it replaces the logo. ``remove_logo`` without ``logo`` removes it. The money defaults (rates as fractions: 0.1 is
    10 %) stay as they are when None; packages already sold keep their own terms. So do the packages' expiry policy
    (forfeit or extend, ``PackageExpiryPolicy``), the extension in days and ``reminder_hours``. Only the owner may; a
    refusal raises ApplicationError naming every bad field at once (nothing is written). A call that changes nothing
    writes nothing.
    """
    if not can_edit_gym_settings(actor):
        raise ApplicationError(_("Only the owner changes the gym's settings."))
    # A bad logo is reported with every other field's error: the save checks them all before refusing.
    errors = FieldErrors()
    if logo is not None and not isinstance(logo, ProcessedLogo):
        logo = errors.check("logo", process_logo, logo)  # the slow part, before the row is locked
    organization, _changes = organization_settings_save(
        name=name,
        timezone_name=timezone_name,
        late_cancellation_hours=late_cancellation_hours,
        accent_colour=accent_colour,
        paper_size=paper_size,
        currency=currency,
        default_vat_rate=default_vat_rate,
        default_pricing_mode=default_pricing_mode,
        default_card_fee_rate=default_card_fee_rate,
        reminder_hours=reminder_hours,
        package_expiry_policy=package_expiry_policy,
        package_extension_days=package_extension_days,
        logo_png=logo.png if logo is not None else None,
        remove_logo=remove_logo,
        record=_audit(actor),
        errors=errors,
    )
    return organization


@transaction.atomic
def setup_checklist_dismiss(*, actor: Trainer) -> Organization:
    """The owner puts away the dashboard's set-up checklist for the whole gym (audited once)."""
    if not can_edit_gym_settings(actor):
        raise ApplicationError(_("Only the owner changes the gym's settings."))

    def record(organization: Organization) -> None:
        audit_record(
            actor=actor,
            event="organization.setup_checklist_dismiss",
            target=organization,
        )

    organization, _changed = organization_setup_checklist_dismiss(record=record)
    return organization
