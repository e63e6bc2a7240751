"""Why a change to a shop's team cannot go ahead. Each refusal carries the API's stable `code` and
its HTTP `status` (SPEC §10): 403 for what the caller may not do, 409 for a state that forbids it,
429 for a rate limit. Bad input is a django ValidationError with one entry per field instead."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class TeamRefusal(Exception):
    """A team change refused; `message` says why and what to do instead."""

    code = "refused"
    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(TeamRefusal, PermissionDenied):
    """The acting member may not do this (403). Also a PermissionDenied, for callers that only care
    whether it was allowed."""

    code = "not_allowed"
    status = 403


class OwnerProtected(NotAllowed):
    code = "owner_protected"


class OwnMembership(NotAllowed):
    code = "own_membership"


class GrantNotHeld(NotAllowed):
    """Nobody can give a grant they lack (SPEC §5)."""

    code = "missing_grant"


class WrongAccount(NotAllowed):
    """An invitation opened while signed in as someone other than the invited address."""

    code = "wrong_account"


class InvitationClosed(TeamRefusal):
    """The invitation was accepted, revoked or ran out."""

    code = "invitation_closed"


class AlreadyMember(TeamRefusal):
    code = "already_member"


class SignInRequired(TeamRefusal):
    """The invited address already has an account: its owner accepts after signing in."""

    code = "sign_in_required"


class OwnerCannotLeave(TeamRefusal):
    code = "owner_cannot_leave"


class TwoStepAlreadyOn(TeamRefusal):
    code = "two_step_already_enabled"


class TwoStepNotOn(TeamRefusal):
    code = "two_step_not_enabled"


class ResetNotAllowed(TeamRefusal):
    """The member's account reaches beyond this shop, so its owner alone may not reset it."""

    code = "reset_not_allowed"
    status = 403


class RateLimited(TeamRefusal):
    """Too many e-mails of this kind from one shop (or client) in the window; `wait` in seconds."""

    code = "throttled"
    status = 429

    def __init__(self, wait: int, message: str | None = None):
        super().__init__(
            message
            or _("Too many e-mails of this kind were sent lately. Try again in %(wait)s.")
            % {"wait": describe_wait(wait)}
        )
        self.wait = wait


def describe_wait(seconds: int) -> str:
    """ "45 seconds", "1 minute", "17 minutes": how long to wait, in words."""
    if seconds < 90:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
