"""Why a second-step action cannot go ahead: each error carries the API's code and status."""

from django.utils.translation import gettext_lazy, ngettext


class TwoStepError(Exception):
    """A second-step action that cannot go ahead; `code` is the API's machine-readable reason."""

    code = "two_step_error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidCode(TwoStepError):
    code = "invalid_code"


class Throttled(TwoStepError):
    code = "throttled"
    status = 429

    def __init__(self, wait: int, message: str | None = None):
        super().__init__(
            message
            or ngettext(
                "Too many wrong codes. Wait %(count)d second, then try again.",
                "Too many wrong codes. Wait %(count)d seconds, then try again.",
                wait,
            )
            % {"count": wait}
        )
        self.wait = wait


class NotAvailable(TwoStepError):
    code = "method_unavailable"
    status = 409


class AlreadyEnabled(TwoStepError):
    code = "two_step_already_enabled"
    status = 409


class RequiredByShop(TwoStepError):
    code = "two_step_required_by_shop"
    status = 409


INVALID_CODE_MESSAGE = gettext_lazy("That code is not valid. Check it and try again.")
