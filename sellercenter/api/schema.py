"""The OpenAPI schema: every operation lists its error answers (schema_views.py serves it).

Each operation gets the errors it can give (SPEC §10), all in the one shape {"detail", "code"}
(400 adds "errors" per field; 429 adds "retry_after" and the Retry-After header), with the stable
codes each can carry in its description:

- 400 on operations that take a body, and on every unsafe method (a body that is not JSON or nests
  too deep is refused before the view runs);
- 401 and 403 on operations that need a session; 403 too on every unsafe method (CSRF), with the
  codes of the view's permission classes (a missing grant, a stale second step...);
- 404 on operations with an id or a shop in their path;
- 409 and 429 where the view or ERROR_CODES below says so (a view may declare its own with an
  `error_codes = {409: {"payout_hold": "Withdrawals are held."}}` attribute).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from accounts.access import ShopGrant
from security.two_step.step_up import FreshSecondStep
from sellercenter.api.parsers import MAX_DEPTH


class ErrorSerializer(serializers.Serializer):
    """Every error answer of the API."""

    detail = serializers.CharField(help_text="What went wrong and what to do, in words for a person.")
    code = serializers.CharField(help_text="A stable, machine-readable reason (see each answer's codes).")
    retry_after = serializers.IntegerField(
        required=False, help_text="429 only: seconds to wait, as in the Retry-After header."
    )


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: the request's fields were missing or invalid."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["invalid"])
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each field's messages; `non_field_errors` for the request as a whole.",
    )


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

SESSION_CODES = {
    "not_authenticated": "No session: sign in first (POST /api/v1/auth/login).",
    "two_step_required": "The password passed; the second step is due (POST /api/v1/auth/verify).",
    "session_expired": "The session ended (12 hours after sign-in, or 30 minutes idle).",
}
ALWAYS_403 = {
    "account_frozen": "The account is frozen while its recovery is reviewed.",
}
UNSAFE_403 = {
    "permission_denied": "The CSRF check failed: send the X-CSRFToken header (GET /api/v1/auth/csrf).",
}
PERMISSION_403 = {
    ShopGrant: {
        "missing_grant": "Your roles in this shop do not include the grant this needs.",
        "two_step_enrolment_required": "The shop requires two-step verification: turn it on first.",
    },
    FreshSecondStep: {
        "step_up_required": "Confirm with the authenticator app or a recovery code first "
        "(POST /api/v1/account/2sv/step-up).",
        "two_step_enrolment_required": "This needs the authenticator app: turn on two-step verification.",
    },
}
THROTTLED = {"throttled": "Too many requests: wait for Retry-After seconds."}
CODE_CHECKS = {
    409: {"method_unavailable": "This kind of code cannot be used here (an e-mail code for a step-up)."},
    429: {"throttled": "Too many wrong codes: wait for Retry-After seconds."},
}

# Errors of views that do not declare `error_codes` themselves, by (path, method).
ERROR_CODES: dict[tuple[str, str], dict[int, dict[str, str]]] = {
    ("/api/v1/auth/login", "POST"): {
        403: ALWAYS_403,
        429: {"throttled": "Too many failed sign-ins for this account or from this network."},
    },
    ("/api/v1/auth/verify", "POST"): {
        409: {
            "two_step_not_pending": "This session has no second step waiting.",
            **CODE_CHECKS[409],
        },
        429: CODE_CHECKS[429],
    },
    ("/api/v1/auth/verify/email-code", "POST"): {
        409: {"two_step_not_pending": "This session has no second step waiting."},
        429: {"throttled": "A code was sent a moment ago: wait before asking for another."},
    },
    ("/api/v1/account/2sv/step-up", "POST"): CODE_CHECKS,
    ("/api/v1/account/2sv/totp", "POST"): {
        409: {"two_step_already_enabled": "Two-step verification is already on."},
    },
    ("/api/v1/account/2sv/totp", "DELETE"): {
        409: {"two_step_required_by_shop": "A shop of yours requires two-step verification."},
    },
    ("/api/v1/account/2sv/totp/confirm", "POST"): {
        409: {"two_step_already_enabled": "Two-step verification is already on.", **CODE_CHECKS[409]},
        429: CODE_CHECKS[429],
    },
    ("/api/v1/account/sessions/{id}", "DELETE"): {
        409: {"current_session": "This is the session making the request: sign out instead."},
    },
    ("/api/v1/account/email", "POST"): {
        403: PERMISSION_403[FreshSecondStep],
        409: {"account_frozen": "The account is frozen: its address cannot change.", **CODE_CHECKS[409]},
        429: {
            "throttled": "Too many changes asked for, or too many wrong codes: wait for Retry-After seconds."
        },
    },
    ("/api/v1/account/email", "DELETE"): {
        404: {"not_found": "No e-mail address change is waiting."},
    },
}

DESCRIPTIONS = {
    400: "Invalid input: nothing was changed.",
    401: "Not signed in, or the second step is pending.",
    403: "Refused for this session or member.",
    404: "No such object, or one of another shop: they are not told apart.",
    409: "Not possible in the current state.",
    413: "Too large: an upload over its limit.",
    429: "Throttled: wait for Retry-After seconds.",
}


def _describe(status: int, codes: dict[str, str]) -> str:
    lines = [DESCRIPTIONS[status], "", "Codes:"]
    lines += [f"- `{code}`: {meaning}" for code, meaning in sorted(codes.items())]
    return "\n".join(lines)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus each operation's error answers."""

    def _error_codes(self) -> dict[int, dict[str, str]]:
        errors: dict[int, dict[str, str]] = {}

        def add(status: int, codes: dict[str, str]) -> None:
            errors.setdefault(status, {}).update(codes)

        permissions = self.view.get_permissions()
        public = all(isinstance(p, AllowAny) for p in permissions)
        if self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer() is not None:
            add(400, {"invalid": "Some fields are missing or invalid; see `errors`."})
        if not public:
            add(401, SESSION_CODES)
            add(403, ALWAYS_403)
        if self.method in UNSAFE:
            add(400, {"parse_error": f"The body is not valid JSON, or nests deeper than {MAX_DEPTH} levels."})
            add(403, UNSAFE_403)
        for permission in permissions:
            for kind, codes in PERMISSION_403.items():
                if isinstance(permission, kind):
                    add(403, codes)
        if "{" in self.path:
            add(404, {"not_found": "Not found."})
        if getattr(self.view, "throttle_classes", None):
            add(429, THROTTLED)
        declared = getattr(self.view, "error_codes", None) or ERROR_CODES.get((self.path, self.method), {})
        for status, codes in declared.items():
            add(status, codes)
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, codes in sorted(self._error_codes().items()):
            serializer = ValidationErrorSerializer if "invalid" in codes else ErrorSerializer
            answer = self._get_response_for_code(
                OpenApiResponse(serializer, description=_describe(status, codes)), str(status)
            )
            if status == 429:
                answer["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
                }
            responses.setdefault(str(status), answer)
        return responses
