"""Turn an uploaded photo into the two sizes the site shows, or refuse it with a clear message.

Nothing here touches the database or the storage: ``process_photo`` takes the uploaded file and returns
JPEG bytes. The image is decoded and re-encoded, so nothing of the original file survives but its pixels:
no EXIF (camera, GPS position, time), no XMP, no embedded profile (colours are converted to sRGB first).
"""

import functools
import io
import struct
import warnings
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from apps.core.errors import ApplicationError

MAX_BYTES = 5 * 1024 * 1024
# A 40-megapixel photo is already more than a phone camera gives; a bigger canvas is a decompression bomb.
MAX_PIXELS = 40_000_000
# Pillow plugins allowed to open an upload. Others never see the bytes (MPO, a JPEG variant that many
# phones write, is opened by the JPEG plugin).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MEDIUM_SIZE = 400  # longest side of the profile-page photo; keeps the aspect ratio
SMALL_SIZE = 96  # side of the square avatar
OUTPUT_FORMAT = "JPEG"
OUTPUT_EXTENSION = "jpg"
OUTPUT_QUALITY = 85

# Errors Pillow raises for files that start like an image and then turn out broken.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error, zlib.error)

# Formats people upload by mistake, recognised by their first bytes so that the message can name them.
SIGNATURES = [
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"%PDF", "PDF"),
]
ISO_MEDIA_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIC", b"hevc": "HEIC", b"avif": "AVIF"}


@dataclass(frozen=True)
class ProcessedPhoto:
    medium: bytes
    small: bytes
    medium_size: tuple[int, int]
    small_size: tuple[int, int]


def _refuse(message):
    raise ApplicationError(message, {"field": "photo"})


def _other_format(head):
    """The name of a known non-accepted format that ``head`` (the file's first bytes) starts like, or None."""
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    if head[4:8] == b"ftyp" and head[8:12] in ISO_MEDIA_BRANDS:
        return ISO_MEDIA_BRANDS[head[8:12]]
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<svg", b"<?xml")) and b"<svg" in lowered:
        return "SVG"
    return None


def _size_of(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    return size


def _open(upload):
    head = upload.read(512)
    upload.seek(0)
    try:
        return Image.open(upload, formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        other = _other_format(head)
        if other:
            _refuse(_("%(format)s images are not accepted. Upload a JPEG, PNG or WebP photo.") % {"format": other})
        _refuse(_("This file is not an image. Upload a JPEG, PNG or WebP photo."))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse_too_many_pixels()
    except DECODE_ERRORS:
        _refuse_damaged()


def _refuse_too_many_pixels():
    _refuse(
        _("This image has too many pixels (at most %(megapixels)d megapixels). Upload a smaller photo.")
        % {"megapixels": MAX_PIXELS // 1_000_000}
    )


def _refuse_damaged():
    _refuse(_("This image is damaged or incomplete. Upload it again, or choose another photo."))


@functools.cache
def _srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image):
    """Plain RGB pixels: transparency flattened onto white, an embedded colour profile applied and dropped."""
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    icc = image.info.get("icc_profile")
    if icc and image.mode in {"RGB", "RGBA", "CMYK", "L"}:
        try:
            converted = ImageCms.profileToProfile(
                image.convert("RGB") if image.mode == "RGBA" else image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                _srgb_profile(),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # an unusable profile: keep the pixels as they are
        if converted is not None:
            image = converted
    return image.convert("RGB")


def _encode(image):
    image.info = {}  # belt and braces: Pillow writes only what save() is given, and it is given nothing
    buffer = io.BytesIO()
    image.save(buffer, OUTPUT_FORMAT, quality=OUTPUT_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def process_photo(upload):
    """Validate and re-encode ``upload`` (a file object); raise ApplicationError({"field": "photo"}) if refused."""
    size = _size_of(upload)
    if size == 0:
        _refuse(_("The file is empty."))
    if size > MAX_BYTES:
        _refuse(_("This file is larger than %(limit)d MB. Upload a smaller photo.") % {"limit": MAX_BYTES // 2**20})
    # Pillow warns (and refuses past twice its own limit) when a header declares a huge canvas. Its warning is
    # an error here. catch_warnings() is process-wide, not per thread; at worst another thread's image is also
    # refused as a bomb, which is what we want anyway.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(upload)
        with image:
            if image.width * image.height > MAX_PIXELS:
                _refuse_too_many_pixels()
            try:
                # JPEG only: decode at 1/2, 1/4 or 1/8 scale when the photo is far bigger than what we keep.
                image.draft("RGB", (MEDIUM_SIZE, MEDIUM_SIZE))
                image.load()  # a truncated file raises here (ImageFile.LOAD_TRUNCATED_IMAGES stays False)
                upright = ImageOps.exif_transpose(image)
                pixels = _to_srgb(upright)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                _refuse_too_many_pixels()
            except DECODE_ERRORS:
                _refuse_damaged()
    medium = pixels.copy()
    medium.thumbnail((MEDIUM_SIZE, MEDIUM_SIZE), Image.Resampling.LANCZOS)
    side = min(SMALL_SIZE, *pixels.size)
    small = ImageOps.fit(pixels, (side, side), Image.Resampling.LANCZOS)
    return ProcessedPhoto(medium=_encode(medium), small=_encode(small), medium_size=medium.size, small_size=small.size)
