"""Test images built in memory with Pillow (and by hand where Pillow would need the memory a real one takes)."""

import io
import struct
import zlib

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825
RED, BLUE = (255, 0, 0), (0, 0, 255)


def use_tmp_media(settings, path):
    """Point MEDIA_ROOT at ``path`` and make the storage see it.

    django-tenants' TenantFileSystemStorage caches its root and does not reset it when MEDIA_ROOT changes
    (its _clear_cached_properties passes the settings module instead of the setting's name), so setting
    STORAGES again is what builds a fresh storage.
    """
    settings.MEDIA_ROOT = str(path)
    settings.STORAGES = {**settings.STORAGES}
    assert default_storage.relative_media_root.startswith(str(path))


def two_colour(size=(600, 300), top=RED, bottom=BLUE):
    """Top half ``top``, bottom half ``bottom``: after a rotation the halves say which way it turned."""
    width, height = size
    image = Image.new("RGB", size, bottom)
    image.paste(top, (0, 0, width, height // 2))
    return image


def encode(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg(size=(600, 300), orientation=None, with_gps=False):
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    if orientation:
        exif[ORIENTATION] = orientation
    if with_gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 33.0, 0.0), 3: "E", 4: (126.0, 58.0, 0.0)})
    return encode(two_colour(size), "JPEG", exif=exif.tobytes(), quality=90)


def png(size=(600, 300), mode="RGB"):
    return encode(two_colour(size).convert(mode), "PNG")


def transparent_png(size=(200, 100)):
    return encode(Image.new("RGBA", size, (255, 0, 0, 0)), "PNG")


def mpo(size=(600, 300)):
    """A multi-picture JPEG, as many phones write: Pillow names its format MPO."""
    return encode(two_colour(size), "MPO", save_all=True, append_images=[two_colour(size, top=BLUE, bottom=RED)])


def jpeg_with_profile(size=(600, 300)):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(two_colour(size), "JPEG", icc_profile=profile)


def webp(size=(600, 300)):
    return encode(two_colour(size), "WEBP")


def gif():
    return encode(two_colour((60, 30)).convert("P"), "GIF")


def bmp():
    return encode(two_colour((60, 30)), "BMP")


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width, height):
    """A tiny PNG whose header claims ``width`` x ``height`` 1-bit pixels: a decompression bomb, a few bytes long."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def truncated(data, keep=0.6):
    return data[: int(len(data) * keep)]


def noisy_jpeg(size=(900, 900)):
    """A photo-like JPEG (noise compresses badly), for tests that need real bytes to cut."""
    return encode(Image.effect_noise(size, 64).convert("RGB"), "JPEG", quality=95)


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def open_stored(field):
    with field.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image
