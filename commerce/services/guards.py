"""What every money move checks first (SPEC §6a): the shop's row lock, an owner with two-step
verification on and not frozen, and a code bound to the action."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Shop
from accounts.selectors import two_step_enabled
from audit.events import RequestContext
from commerce.errors import AccountFrozen, CodesThrottled, StepUpRequired, TwoStepEnrolmentRequired
from permissions.registry import ACTIONS
from security.two_step import errors as two_step_errors
from security.two_step.step_up import approve

CODE_NEEDED = gettext_lazy("Enter a code from your authenticator app or a recovery code to approve %(what)s.")


def locked_shop(shop) -> Shop:
    """The shop's row, locked until the transaction ends: money moves of one shop happen one at a time.

    Call inside transaction.atomic(). Every balance check and write happens under this lock.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_shop() belongs inside the transaction of the money move.")
    return Shop.objects.select_for_update().select_related("owner").get(pk=shop.pk)


def require_money_path_open(shop, user) -> None:
    """TwoStepEnrolmentRequired (403) without two-step verification; AccountFrozen (409) while the
    acting person or the shop's owner is frozen, whatever the freeze's scope."""
    if not two_step_enabled(user):
        raise TwoStepEnrolmentRequired()
    if user.is_frozen or shop.owner.is_frozen:
        raise AccountFrozen()


def approve_with_code(user, code: str | None, context: RequestContext, *, action: str, what: str) -> None:
    """Check a code (the app or a recovery code, never e-mail) that approves this one action.

    `what` names exactly what the code approves ("the payout account First Bank ••••1234") and goes
    into the security log. StepUpRequired (403) without a valid code, CodesThrottled (429) after too
    many wrong ones. A code approves one action only: app codes are not accepted twice (django-otp),
    recovery codes are used up.
    """
    if not (code or "").strip():
        raise StepUpRequired(CODE_NEEDED % {"what": what}, approves=what)
    try:
        approve(user, code.strip()[:64], context, action=ACTIONS[action], summary=what)
    except two_step_errors.Throttled as error:
        raise CodesThrottled(error.message, error.wait) from None
    except two_step_errors.TwoStepError as error:
        raise StepUpRequired(
            f"{error.message} " + _("The code must approve %(what)s.") % {"what": what},
            approves=what,
            reason=error.code,
        ) from None
