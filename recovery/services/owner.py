"""What the account holder does from Account Security (SPEC §8 steps 2 and 6): freeze their own
account, cancel an unproven request as "not me", and turn hardened recovery on or off; and what the
contact address does when it overrules such a cancellation.

A /recover/ request carries no proof, so the holder of an established device may cancel it. Its
contact address is then e-mailed a link that turns the case into a full freeze: an intruder who has
used the account long enough to own an established device is overruled by whoever holds that address,
and support decide on documents.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FreezeScope
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import send_email
from recovery import rules
from recovery.models import UNDECIDED, CaseStatus, CaseStep, RecoveryCase
from recovery.services import notices
from recovery.services.cases import lock_case, open_case_of, revoke_upload_links
from recovery.services.documents import case_of_link
from recovery.services.errors import CaseRefused
from recovery.services.timeline import CONTACT, HOLDER, record_step
from security.freeze import FreezeOrigin, freeze_account, unfreeze_account

User = get_user_model()

OWNER_FREEZE_REASON = "frozen by the account holder on Account Security"


def freeze_my_account(user, *, context: RequestContext) -> bool:
    """Block every device at once; the freeze opens the account's case. False if already fully frozen."""
    return freeze_account(
        user,
        scope=FreezeScope.FULL,
        origin=FreezeOrigin.OWNER,
        reason=OWNER_FREEZE_REASON,
        context=context,
        by=user,
    )


@transaction.atomic
def cancel_as_not_me(user, *, context: RequestContext) -> RecoveryCase | None:
    """Lift an unproven freeze and close its case as "not me"; the case's contact address is told and
    gets the link that overrules this. Returns the cancelled case (None when no case was open).

    Raises CaseRefused when the account is not frozen by an unproven request, or its case is decided.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not (user.is_frozen and not user.is_fully_frozen):
        raise CaseRefused(
            _("Only a recovery request made without proof can be cancelled here; this freeze needs support."),
            code="not_unproven",
        )
    case = open_case_of(user, lock=True)
    if case is not None:
        if case.status not in UNDECIDED:
            raise CaseRefused(
                _("Support already decided this case: it cannot be cancelled here."), code="decided"
            )
        case.cancel_as_not_me()
        case.save()
        revoke_upload_links(case)
        record_step(case, CaseStep.Kind.CANCELLED, actor=HOLDER, context=context)
    unfreeze_account(
        user,
        reason="recovery request cancelled as “not me” from an established device",
        by=user,
        context=context,
    )
    if case is not None:
        notices.notify(case, "cancelled", link=notices.Link.REOPEN)
    return case


def case_to_reopen(request) -> RecoveryCase | None:
    """The case whose freeze-again link this session opened, while that link is live."""
    try:
        return case_of_link(links.held(request, notices.REOPEN_PURPOSE))
    except links.LinkInvalid:
        return None


@transaction.atomic
def reopen_from_contact(request, *, context: RequestContext) -> RecoveryCase:
    """The contact address overrules a "not me" cancellation: the account is frozen on every device
    and the case goes on (or the account's newer open case does). Raises LinkInvalid when the link
    was used or expired."""
    link = links.spend(links.held(request, notices.REOPEN_PURPOSE))
    case = lock_case(case_of_link(link).pk)
    user = case.user
    if user is None:
        raise links.LinkInvalid(links.UNKNOWN)
    reopened = case.status == CaseStatus.CANCELLED and open_case_of(user, lock=True) is None
    if reopened:
        case.reopen()
        case.save()
        record_step(case, CaseStep.Kind.REOPENED, actor=CONTACT, context=context)
    freeze_account(
        user,
        scope=FreezeScope.FULL,
        origin=FreezeOrigin.RECOVERY_CONTACT,
        reason=f"the contact address of case {case.reference} overruled a “not me” cancellation",
        context=context,
    )
    links.release(request, notices.REOPEN_PURPOSE)
    if reopened:
        notices.notify(case, "reopened", link=notices.Link.UPLOAD)
        return case
    return open_case_of(user) or case


# Hardened recovery.


@transaction.atomic
def turn_on_hardened_recovery(user, *, context: RequestContext) -> bool:
    """From now on a recovery of this account needs two agents; False when it was on already."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.hardened_recovery and user.hardened_recovery_ends_at is None:
        return False
    user.hardened_recovery, user.hardened_recovery_ends_at = True, None
    user.save(update_fields=["hardened_recovery", "hardened_recovery_ends_at"])
    record_event(user, EventKind.HARDENED_RECOVERY_ON, context=context)
    send_email(user, "recovery/hardened_on", {})
    return True


@transaction.atomic
def turn_off_hardened_recovery(user, *, context: RequestContext):
    """Ask for hardened recovery to end, which happens HARDENED_RECOVERY_OFF_DELAY (7 days) from now,
    so an intruder who turns it off cannot use that at once; the owner is e-mailed and can keep it.
    Returns when it ends. Raises CaseRefused when it is off or already ending."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_hardened_recovery or user.hardened_recovery_ends_at is not None:
        raise CaseRefused(_("Hardened recovery is not on, or is already set to end."), code="not_on")
    user.hardened_recovery_ends_at = timezone.now() + rules.HARDENED_RECOVERY_OFF_DELAY
    user.save(update_fields=["hardened_recovery_ends_at"])
    record_event(
        user,
        EventKind.HARDENED_RECOVERY_OFF_REQUESTED,
        context=context,
        ends_at=user.hardened_recovery_ends_at.isoformat(),
    )
    send_email(user, "recovery/hardened_off_requested", {"ends_at": user.hardened_recovery_ends_at})
    return user.hardened_recovery_ends_at


@transaction.atomic
def keep_hardened_recovery(user, *, context: RequestContext) -> bool:
    """Cancel a pending end of hardened recovery; False when none was pending."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_hardened_recovery or user.hardened_recovery_ends_at is None:
        return False
    user.hardened_recovery_ends_at = None
    user.save(update_fields=["hardened_recovery_ends_at"])
    record_event(user, EventKind.HARDENED_RECOVERY_OFF_CANCELLED, context=context)
    send_email(user, "recovery/hardened_kept", {})
    return True
