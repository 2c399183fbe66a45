"""One error shape for every API answer that is not a success: ``{"code", "message", "fields"}``.

``code`` is stable and meant for programs (``invalid``, ``not_found``, ``conflict``, ``throttled``, …); ``message``
is for people, in the language of ``Accept-Language`` (English or Korean); ``fields`` maps a field to its messages
for invalid input (empty otherwise). A service's ``ApplicationError`` is a 400 at its field, or a 409 when it says
the state of the data refused the request (``extra={"code": "conflict"}``: a double booking, no credit left, the
last owner).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import ApplicationError

#: ``ApplicationError.extra["code"]`` values that mean "the data's state refuses this" (HTTP 409).
CONFLICT_CODES = {"conflict", "unavailable"}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is larger than 1 MB.")
    default_code = "too_large"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("Someone changed this since you read it. Read it again, then repeat your change.")
    default_code = "stale"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state of the data.")
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _from_application_error(error):
    fields = {field: messages for field, messages in error.field_errors.items() if field}
    if error.extra.get("code") in CONFLICT_CODES:
        return Response(
            {"code": "conflict", "message": error.message, "fields": fields}, status=status.HTTP_409_CONFLICT
        )
    return Response({"code": "invalid", "message": error.message, "fields": fields}, status=status.HTTP_400_BAD_REQUEST)


def _flatten(detail):
    """DRF's nested error details as ``{field: [messages]}`` (nested fields joined with dots)."""
    fields = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(item, str) for item in value):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), item)
        else:
            fields.setdefault(prefix or "non_field_errors", []).extend(
                [str(item) for item in value] if isinstance(value, list) else [str(value)]
            )

    walk("", detail)
    return fields


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return _from_application_error(exc)
    if isinstance(exc, Http404 | PermissionDenied):
        # Anything the actor may not see answers exactly like what does not exist.
        exc = exceptions.NotFound(_("Not found."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = _("Check the fields marked.") if fields else _("The request is not valid.")
        non_field = fields.get("non_field_errors")
        if non_field and len(fields) == 1:
            message = non_field[0]
        response.data = {"code": "invalid", "message": message, "fields": fields}
        return response
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = codes if isinstance(codes, str) else "error"
    detail = getattr(exc, "detail", "")
    message = str(detail) if not isinstance(detail, dict | list) else _("The request is not valid.")
    response.data = {"code": code, "message": message, "fields": {}}
    return response
