"""Why a module action cannot go ahead, with the API's status and stable code (SPEC §10).

Field-level problems are django.core.exceptions.ValidationError({field: [...]}) (400); the errors
here are about the state of things: 409 for an illegal state change or a held money move, 403 for a
code that does not approve the action.
"""

from datetime import datetime

from django.utils.translation import gettext as _


class CommerceError(Exception):
    """An action refused because of the state of things; `code` is stable, `message` says what to do."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class StateConflict(CommerceError):
    """An illegal state change: ship a cancelled order, end an ended campaign. Nothing changed."""


class AccountFrozen(CommerceError):
    code = "account_frozen"

    def __init__(self):
        super().__init__(
            _(
                "The shop owner's account is frozen while its recovery is reviewed: payout account changes "
                "and withdrawals wait until it is unfrozen."
            )
        )


class PayoutHold(CommerceError):
    """Withdrawals wait: a recent change of the payout account, or one waiting for support's review."""

    code = "payout_hold"

    def __init__(self, until: datetime | None, reasons: list[str], message: str):
        super().__init__(message)
        self.until = until
        self.reasons = reasons


class StepUpRequired(CommerceError):
    """No valid code came with an action that needs one bound to it (SPEC §6a)."""

    status = 403
    code = "step_up_required"

    def __init__(self, message: str, *, approves: str, reason: str = ""):
        super().__init__(message)
        self.approves = approves
        self.reason = reason


class TwoStepEnrolmentRequired(CommerceError):
    status = 403
    code = "two_step_enrolment_required"

    def __init__(self):
        super().__init__(
            _(
                "Turn on two-step verification with an authenticator app first: the payout account and "
                "withdrawals stay closed until then."
            )
        )


class CodesThrottled(CommerceError):
    status = 429
    code = "throttled"

    def __init__(self, message: str, wait: int):
        super().__init__(message)
        self.wait = wait
