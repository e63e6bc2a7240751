"""API errors carry {"detail", "code"} with a stable machine-readable code (SPEC §10)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        # One stable top-level code; each field's own messages (and codes) stay under "errors".
        response.data = {
            "detail": _("Some fields are missing or invalid."),
            "code": "invalid",
            "errors": body,
        }
        return response
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    data = {"detail": str(detail), "code": code}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        data["retry_after"] = int(exc.wait)
    return Response(data, status=response.status_code, headers=dict(response.items()))
