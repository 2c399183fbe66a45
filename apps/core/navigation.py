"""Where a form goes back to once it is done: the page that opened it (``next``), when that is a page of this site.

The client's page opens the sell, booking and payment forms with ``?next=/clients/12/``; the form keeps it in a hidden
field and, once saved, returns there instead of its usual page.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def back_url(request: HttpRequest) -> str | None:
    """The ``next`` of the POST (else of the query) when it is a path on this host, else None."""
    target = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD) or ""
    if not target.startswith("/") or target.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return None
    return target


def is_htmx(request: HttpRequest) -> bool:
    """An HTMX request for part of a page (not the history's restore, which wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def detail_url_prefix(name: str) -> str:
    """The part of ``reverse(name, args=[pk])`` before the pk, for a route that ends in ``<int:pk>/``.

    A list builds its rows' links as prefix + pk + "/" instead of one ``{% url %}`` per row (issue 16: a reverse()
    costs about as much as rendering the rest of a row)."""
    url = reverse(name, args=[0])
    if not url.endswith("/0/"):
        raise ValueError(f"{name} does not end in <pk>/: {url}")
    return url[: -len("0/")]
