"""``Idempotency-Key`` on every POST, with Stripe's semantics.

* The same key with the same request (method, path and body) within ``KEEP_FOR`` replays the stored answer (with
  ``Idempotent-Replayed: true``) and runs nothing.
* The same key with another request answers 422.
* A second request while the first one still runs answers 409; the row is inserted in its own committed
  statement before the work starts, and the unique constraint decides which of two racing requests runs.
* An answer of 5xx (or an exception) is not kept: the key can be used again.
"""

import hashlib
import json
import logging
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .exceptions import Conflict, Unprocessable
from .models import IdempotencyRecord

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
MAX_LENGTH = 200


class Replay(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, response):
        super().__init__("replay")
        self.response = response


class KeyReused(Unprocessable):
    default_detail = _("This Idempotency-Key was used with another request. Use a new key for a new request.")
    default_code = "idempotency_key_reused"


class KeyInFlight(Conflict):
    default_detail = _("A request with this Idempotency-Key is still running. Retry in a moment.")
    default_code = "idempotency_key_in_flight"


class BadKey(Unprocessable):
    status_code = 400
    default_detail = _("Idempotency-Key must be 1 to 200 visible characters.")
    default_code = "invalid"


def request_hash(request):
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0" + request.path.encode() + b"\0")
    digest.update(request.body or b"")
    return digest.hexdigest()


def begin(request, actor):
    """Claim the key for this request, or raise ``Replay``/``KeyReused``/``KeyInFlight``. Returns the claimed record,
    or None when the request carries no key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_LENGTH or not key.isprintable():
        raise BadKey
    fingerprint = request_hash(request)
    IdempotencyRecord.objects.filter(actor_id=actor.pk, key=key, created_at__lt=timezone.now() - KEEP_FOR).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(actor_id=actor.pk, key=key, request_hash=fingerprint)
    except IntegrityError:
        pass
    existing = IdempotencyRecord.objects.filter(actor_id=actor.pk, key=key).first()
    if existing is None:  # expired and removed in between: treat as taken, the client retries
        raise KeyInFlight
    if existing.request_hash != fingerprint:
        raise KeyReused
    if existing.status_code is None:
        raise KeyInFlight
    response = Response(existing.response_body, status=existing.status_code)
    response["Idempotent-Replayed"] = "true"
    raise Replay(response)


def _storable(data):
    """The answer as JSON that PostgreSQL's jsonb accepts: a NUL character (which a refused request may echo in an
    error's field names) becomes U+FFFD."""
    if data is None:
        return None
    text = JSONRenderer().render(data).decode()
    return json.loads(text.replace("\\u0000", "\\ufffd"))


def finish(record, response):
    """Keep the answer to replay it, or free the key after a server error (or when it cannot be kept)."""
    if record is None:
        return
    kept = IdempotencyRecord.objects.filter(pk=record.pk)
    if response.status_code >= 500:
        kept.delete()
        return
    try:
        with transaction.atomic():
            kept.update(status_code=response.status_code, response_body=_storable(response.data))
    except DatabaseError:
        logger.exception("idempotency record %s: answer not kept; the key is free again", record.pk)
        kept.delete()
