"""HTML to PDF with WeasyPrint, fetching nothing but the gym's own static and media files.

Templates refer to ``/static/...`` and ``/media/...`` (relative to ``BASE_URL``). :class:`GymFiles` serves the first
from the project's static files and the second from the default storage, whose paths are the active gym's own
(django-tenants prefixes its schema), so another gym's files cannot be named. ``file://``, other hosts, ``..`` and
anything else are refused; a refused resource is left out of the document, never fetched.
"""

import logging
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would make every upload check
# (trainer photos, logos) accept cut-off files. Reports only embed images the product re-encoded: turn it back off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

logger = logging.getLogger(__name__)

# A host that cannot exist (RFC 2606): relative URLs in a report resolve against it and nowhere else.
BASE_URL = "https://report.invalid/"
_HOST = urlsplit(BASE_URL).netloc


class RefusedResource(ValueError):
    pass


def _clean_path(path: str, prefix: str) -> str:
    relative = unquote(path[len(prefix) :])
    parts = PurePosixPath(relative).parts
    if not relative or relative.startswith("/") or ".." in parts or "\\" in relative:
        raise RefusedResource(f"not a file of this gym: {path}")
    return relative


class GymFiles(URLFetcher):
    """WeasyPrint's fetcher for one report: the gym's static and media files only."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)

    def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "https" or parts.netloc != _HOST:
            raise RefusedResource(f"outside the gym: {url}")
        if parts.path.startswith("/static/"):
            found = finders.find(_clean_path(parts.path, "/static/"))
            if not found or isinstance(found, list):
                raise RefusedResource(f"no such static file: {url}")
            with open(found, "rb") as handle:
                body = handle.read()
        elif parts.path.startswith("/media/"):
            name = _clean_path(parts.path, "/media/")
            if not default_storage.exists(name):
                raise RefusedResource(f"no such file of this gym: {url}")
            with default_storage.open(name, "rb") as handle:
                body = handle.read()
        else:
            raise RefusedResource(f"not a static or media file: {url}")
        mime_type = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})


class ReportRenderingError(RuntimeError):
    """WeasyPrint failed on a report: the caller tells the user; nothing was written."""


def render_pdf(html: str) -> bytes:
    """The PDF of ``html`` (fonts embedded and subset by WeasyPrint). Any failure of WeasyPrint becomes a
    :class:`ReportRenderingError` (logged with its cause), so that no half-made file is ever kept or sent."""
    try:
        content = HTML(string=html, base_url=BASE_URL, url_fetcher=GymFiles()).write_pdf()
    except Exception as error:
        logger.exception("a report could not be rendered")
        raise ReportRenderingError(str(error)) from error
    if not content:
        raise ReportRenderingError("empty PDF")
    return bytes(content)
