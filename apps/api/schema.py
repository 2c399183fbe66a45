"""Pieces of the OpenAPI description shared by every operation: the error shape and the common error answers."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text="Stable, for programs: invalid, not_found, conflict, throttled, …"),
        "message": serializers.CharField(help_text="For people, in the language of Accept-Language (en, ko)."),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), help_text="Messages per invalid field."
        ),
    },
)


def _error(description, code, message, fields=None):
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(code, value={"code": code, "message": message, "fields": fields or {}})],
    )


UNAUTHENTICATED = _error(
    "No valid key or session.", "not_authenticated", "Authentication credentials were not provided."
)
NOT_FOUND = _error("Not found, or not visible to this actor.", "not_found", "Not found.")
INVALID = _error(
    "Invalid input; every invalid field is listed.",
    "invalid",
    "Check the fields marked.",
    {"first_name": ["This field is required."]},
)
CONFLICT = _error("The data's state refuses the request.", "conflict", "This package has no sessions left.")
STALE = _error("If-Match names an older version.", "stale", "Someone changed this since you read it. Read it again.")
THROTTLED = _error("Too many requests; see Retry-After.", "throttled", "Request was throttled.")
FORBIDDEN_KEY = _error("A read-only key tried to write.", "read_only_key", "This API key is read-only.")
TOO_LARGE = _error("The body is over 1 MB.", "too_large", "The request body is larger than 1 MB.")

ERRORS_READ = {401: UNAUTHENTICATED, 429: THROTTLED}
ERRORS_LIST = {**ERRORS_READ, 400: INVALID}
ERRORS_OBJECT = {**ERRORS_READ, 404: NOT_FOUND}
ERRORS_WRITE = {**ERRORS_READ, 400: INVALID, 403: FORBIDDEN_KEY, 409: CONFLICT, 413: TOO_LARGE}
ERRORS_OBJECT_WRITE = {**ERRORS_WRITE, 404: NOT_FOUND, 412: STALE}


IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Makes the POST safe to retry: the same key and request within 24 h replays the stored answer.",
}


def _error_response(description, code, message):
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {code: {"value": {"code": code, "message": message, "fields": {}}}},
            }
        },
    }


def add_links(result, generator, request, public):
    """drf-spectacular post-processing hook.

    * OpenAPI links from every create (201 with an ``id``) to the operations on what it created (``/things/{id}/…``),
      so clients and stateful fuzzing know how the calls chain;
    * the ``Idempotency-Key`` header, and its 409 and 422 answers, on every POST.
    """
    paths = result.get("paths", {})
    for operations in paths.values():
        post = operations.get("post")
        if post is None:
            continue
        post.setdefault("parameters", []).append(IDEMPOTENCY_HEADER)
        post["responses"].setdefault(
            "409", _error_response("Conflict: the data's state, or the same key still running.", "conflict", "…")
        )
        post["responses"].setdefault(
            "422",
            _error_response(
                "The Idempotency-Key came with another request.", "idempotency_key_reused", "Use a new key."
            ),
        )
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        if created is None:
            continue
        links = {
            operation["operationId"]: {
                "operationId": operation["operationId"],
                "parameters": {"id": "$response.body#/id"},
            }
            for other_path, other_operations in sorted(paths.items())
            if other_path.startswith(path + "{id}/")
            for method, operation in sorted(other_operations.items())
        }
        if links:
            created["links"] = links
    return result
