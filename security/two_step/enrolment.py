"""Turning two-step verification on and off, new recovery codes, and the preferred method."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondStepMethod
from accounts.selectors import shops_requiring_two_step, two_step_enabled
from audit.events import EventKind, RequestContext, record_event
from notifications.email import send_email
from security import sessions
from security.two_step.codes import check_code
from security.two_step.devices import issue_recovery_codes, remove_all, totp_device
from security.two_step.errors import AlreadyEnabled, NotAvailable, RequiredByShop
from security.two_step.step_up import forget_freshness, mark_fresh


def pending_totp_device(user, *, restart: bool = False) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed); a new secret when restarting or none exists."""
    if two_step_enabled(user):
        raise AlreadyEnabled(_("Two-step verification is already on. Turn it off first to change the app."))
    device = None if restart else totp_device(user, confirmed=False)
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp(request, code: str, context: RequestContext) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes."""
    device, codes = confirm_totp_device(
        request.user, code, context, keep_session_key=request.session.session_key
    )
    otp_login(request, device)
    mark_fresh(request)
    return codes


def confirm_totp_device(
    user, code: str, context: RequestContext, *, keep_session_key: str | None = None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the user's pending authenticator with a code from it, signed in or not (a recovery
    case's owner enrols before the account is unfrozen). Every session but the kept one ends.

    Returns (device, new recovery codes). Raises AlreadyEnabled, NotAvailable (nothing pending) and
    the errors of codes.check_code.
    """
    if two_step_enabled(user):
        raise AlreadyEnabled(_("Two-step verification is already on."))
    try:
        device = check_code(user, SecondStepMethod.TOTP, code, context, confirmed=False)
    except NotAvailable:
        raise NotAvailable(_("Start setting up the authenticator app first.")) from None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = issue_recovery_codes(user)
        user.preferred_two_step_method = SecondStepMethod.TOTP
        user.save(update_fields=["preferred_two_step_method"])
        # Sessions signed in with the password alone (perhaps the very attacker this is meant to stop)
        # end now: from here on every session passes the second step.
        ended = sessions.end_sessions(user, keep_session_key=keep_session_key)
        record_event(
            user,
            EventKind.TWO_STEP_ENABLED,
            context=context,
            method=SecondStepMethod.TOTP.value,
            sessions_ended=ended,
        )
        send_email(user, "two_step_enabled", {"context": context})
    return device, codes


@transaction.atomic
def disable(user, context: RequestContext, *, keep_session_key: str | None = None) -> int:
    """Remove every second-step device of the user and end their other sessions (all but the one
    kept); refused while a shop of theirs requires 2SV. Returns how many sessions ended."""
    if not two_step_enabled(user):
        raise NotAvailable(_("Two-step verification is already off."))
    required_by = shops_requiring_two_step(user)
    if required_by:
        raise RequiredByShop(
            _("%(shops)s requires two-step verification for all members, so it must stay on.")
            % {"shops": ", ".join(required_by)}
        )
    remove_all(user)
    ended = sessions.end_sessions(user, keep_session_key=keep_session_key)
    record_event(user, EventKind.TWO_STEP_DISABLED, context=context, sessions_ended=ended)
    send_email(user, "two_step_disabled", {"context": context, "sessions_ended": ended})
    return ended


def forget_verification(request) -> None:
    """After turning 2SV off this session no longer counts as verified or fresh."""
    forget_freshness(request)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


@transaction.atomic
def regenerate_recovery_codes(
    user, context: RequestContext, *, keep_session_key: str | None = None
) -> list[str]:
    """Ten new recovery codes; the old ones stop working and the user's other sessions (all but the
    one kept) end."""
    if not two_step_enabled(user):
        raise NotAvailable(_("Turn on two-step verification first."))
    codes = issue_recovery_codes(user)
    ended = sessions.end_sessions(user, keep_session_key=keep_session_key)
    record_event(user, EventKind.RECOVERY_CODES_REGENERATED, context=context, sessions_ended=ended)
    send_email(user, "two_step_recovery_codes_regenerated", {"context": context, "sessions_ended": ended})
    return codes


@transaction.atomic
def set_preferred_method(user, method: str, *, context: RequestContext) -> bool:
    """Choose the method offered first at sign-in (the app or e-mail); False when unchanged.

    ValueError for a method that cannot be preferred (recovery codes are for emergencies).
    """
    method = SecondStepMethod(method)
    if method == SecondStepMethod.RECOVERY_CODE:
        raise ValueError(_("Recovery codes cannot be the usual second step."))
    if user.preferred_two_step_method == method:
        return False
    user.preferred_two_step_method = method
    user.save(update_fields=["preferred_two_step_method"])
    record_event(user, EventKind.TWO_STEP_METHOD_PREFERRED, context=context, method=method.value)
    return True


@transaction.atomic
def reset_two_step(user, *, by, reason: str, context: RequestContext) -> bool:
    """Someone else removes the user's second step: the shop owner for a member who lost their phone
    and recovery codes, or support staff approving a recovery case (SPEC §5, §8).

    Every device and recovery code goes, every session ends, and the person must enrol again at the
    next sign-in where a shop requires it. Records TWO_STEP_RESET and e-mails the person. False when
    there was nothing to reset.
    """
    if not two_step_enabled(user):
        return False
    remove_all(user)
    ended = sessions.end_sessions(user)
    record_event(
        user,
        EventKind.TWO_STEP_RESET,
        context=context,
        by=getattr(by, "email", None) or "system",
        reason=reason[:200],
        sessions_ended=ended,
    )
    send_email(user, "two_step_reset", {"by": by, "reason": reason, "context": context})
    return True
