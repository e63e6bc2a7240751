"""Freezing an account (SPEC §8): the frozen state lives on the user row, so the account gate, sign-in
and the money path read it without asking anyone; this module is the one place that sets and lifts it.

Whatever asks for a freeze ("This wasn't me" in an e-mail, the owner's own button, support staff, a
recovery request) calls freeze_account(). The apps above react through the account_frozen signal,
inside the same transaction: commerce rolls back recent payout-account changes, recovery opens its
case. Nothing here imports them.
"""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import FreezeScope
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import send_email
from security import sessions
from security.account_history import device_first_seen

FROZEN_MESSAGE = gettext_lazy(
    "This account is frozen while its recovery is reviewed. Sign-ins and payouts are paused; "
    "follow the instructions in the e-mail we sent to your contact address."
)
# A recovery request carries no proof: a browser that completed full sign-ins on the account this
# long before the request may still sign in and cancel it (SPEC §8 step 2).
ESTABLISHED_DEVICE_AGE = timedelta(days=7)

FREEZE_LINK_PURPOSE = "freeze"

# Sent inside the freeze's transaction, after the account row is frozen and its sessions ended.
# Arguments: user, scope (FreezeScope), origin (FreezeOrigin), reason (str), context (RequestContext),
# by (the staff member or account holder who asked, or None).
account_frozen = Signal()
# Sent inside the unfreeze's transaction. Arguments: user, reason, by, context.
account_unfrozen = Signal()


class FreezeOrigin(StrEnum):
    """Who or what asked for the freeze."""

    ALERT_LINK = "alert_link"  # "This wasn't me" in an e-mail only the mailbox holder has
    OWNER = "owner"  # "Freeze my account" on Account Security
    STAFF = "staff"  # support staff in the admin
    RECOVERY_REQUEST = "recovery_request"  # /recover/, without proof
    RECOVERY_CONTACT = "recovery_contact"  # a case's contact address overruling a "not me" cancellation


@transaction.atomic
def freeze_account(
    user,
    *,
    scope: FreezeScope,
    origin: FreezeOrigin,
    reason: str,
    context: RequestContext,
    by=None,
    notify: bool = True,
) -> bool:
    """Freeze the account: every session ends, sign-ins and money moves are refused.

    A FULL freeze blocks every device; UNPROVEN lets established devices sign in (see
    may_sign_in_while_frozen). Returns False, changing nothing, when the account is already frozen at
    least as far; an UNPROVEN freeze may widen to FULL. The person is e-mailed once this commits
    ("account frozen, start a recovery"), unless notify is False: a caller that sends its own notice
    saying what happens next (an approved recovery case) passes notify=False so the two do not conflict.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    scope = FreezeScope(scope)
    if user.is_frozen and (user.is_fully_frozen or scope == FreezeScope.UNPROVEN):
        return False
    widened = user.is_frozen
    if not widened:
        user.frozen_at = timezone.now()
    user.frozen_reason = reason[:200]
    user.freeze_scope = scope
    user.save(update_fields=["frozen_at", "frozen_reason", "freeze_scope"])
    ended = sessions.end_sessions(user)
    record_event(
        user,
        EventKind.ACCOUNT_FROZEN,
        context=context,
        reason=reason[:200],
        scope=scope.value,
        origin=str(origin),
        by=getattr(by, "email", None) or "",
        widened=widened,
        sessions_ended=ended,
    )
    if notify:
        send_email(user, "account_frozen", {"reason": reason, "frozen_at": user.frozen_at, "scope": scope})
    account_frozen.send(
        sender=freeze_account,
        user=user,
        scope=scope,
        origin=FreezeOrigin(origin),
        reason=reason,
        context=context,
        by=by,
    )
    return True


@transaction.atomic
def unfreeze_account(user, *, reason: str, by, context: RequestContext) -> bool:
    """Lift the freeze; False when the account was not frozen. Only recovery decides this."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_frozen:
        return False
    user.frozen_at, user.frozen_reason, user.freeze_scope = None, "", ""
    user.save(update_fields=["frozen_at", "frozen_reason", "freeze_scope"])
    record_event(
        user,
        EventKind.ACCOUNT_UNFROZEN,
        context=context,
        reason=reason[:200],
        by=getattr(by, "email", None) or "",
    )
    account_unfrozen.send(sender=unfreeze_account, user=user, reason=reason, by=by, context=context)
    return True


def may_sign_in_while_frozen(user, device_id: str | None) -> bool:
    """Whether this browser may sign in (or stay signed in) to the account now.

    Not frozen: yes. Fully frozen: no. Frozen by an unproven recovery request: only a browser that
    completed a full sign-in on the account at least ESTABLISHED_DEVICE_AGE before the freeze.
    """
    if not user.is_frozen:
        return True
    if user.is_fully_frozen:
        return False
    first_seen = device_first_seen(user, device_id)
    return first_seen is not None and first_seen <= user.frozen_at - ESTABLISHED_DEVICE_AGE


# The "This wasn't me" link in sign-in alerts and notices of sensitive changes.


def freeze_link_url(user, *, subject: str) -> str:
    """A single-use link, valid FREEZE_LINK_MAX_AGE, that lets the mailbox holder freeze the account."""
    return links.issue(
        FREEZE_LINK_PURPOSE,
        landing="security:freeze",
        lifetime=settings.FREEZE_LINK_MAX_AGE,
        user=user,
        subject=subject,
    ).url


@transaction.atomic
def freeze_from_link(link, *, context: RequestContext):
    """Spend a "This wasn't me" link and fully freeze its account; LinkInvalid if already used."""
    links.spend(link)
    freeze_account(
        link.user,
        scope=FreezeScope.FULL,
        origin=FreezeOrigin.ALERT_LINK,
        reason="reported from a “This wasn't me” link",
        context=context,
    )
    return link.user
