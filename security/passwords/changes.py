"""Writes that set a password: change while signed in, reset by an e-mailed link, a first password,
and the history they keep. Each validates against SPEC §4, writes, and records its event."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import send_email
from security import sessions
from security.models import PasswordHistory
from security.passwords import verdicts
from security.passwords.rules import HISTORY_SIZE

User = get_user_model()

RESET_PURPOSE = "password_reset"
WRONG_CURRENT_PASSWORD = "That is not your current password. Type it again."


class WrongCurrentPassword(Exception):
    """The current password given to a change was not the account's."""


def remember_password(user) -> None:
    """Keep the hash just set (no extra hashing) and drop all but the newest HISTORY_SIZE."""
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[HISTORY_SIZE:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def _set_password(user, new_password: str) -> None:
    validate_password(new_password, user)
    # Accounts made before the history existed: keep the outgoing password too.
    newest = PasswordHistory.objects.filter(user=user).values_list("password", flat=True).first()
    if user.has_usable_password() and newest != user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    remember_password(user)
    verdicts.record_set(user)


@transaction.atomic
def set_new_password(user, new_password: str, *, context: RequestContext | None = None, reason: str) -> None:
    """Give an account a password nobody had to confirm (a new account, demo data), logged with the
    reason. Raises ValidationError with one message per broken rule."""
    _set_password(user, new_password)
    record_event(user, EventKind.PASSWORD_CHANGED, context=context, reason=reason)


@transaction.atomic
def change_password(
    user, *, current_password: str, new_password: str, context: RequestContext, request=None
) -> int:
    """Set a new password after checking the current one; end every other session of the user.

    With `request`, that session stays signed in (its key rotates). Raises WrongCurrentPassword, or
    ValidationError with one message per broken rule. Returns how many sessions ended.
    """
    if not user.check_password(current_password or ""):
        raise WrongCurrentPassword
    _set_password(user, new_password)
    keep = request.session.session_key if request is not None else None
    ended = sessions.end_sessions(user, keep_session_key=keep)
    if request is not None:
        update_session_auth_hash(request, user)
        sessions.rekey(keep, request.session.session_key)
    record_event(user, EventKind.PASSWORD_CHANGED, context=context, sessions_ended=ended)
    send_email(user, "password_changed", {"ip": context.ip, "sessions_ended": ended})
    return ended


@transaction.atomic
def request_password_reset(email: str, context: RequestContext) -> None:
    """E-mail a reset link if an active, unfrozen account uses this address; silent otherwise.

    The link works once, for PASSWORD_RESET_TIMEOUT seconds; asking again replaces it. A frozen
    account is in recovery: whoever holds its mailbox may be the attacker, so no link.
    """
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return
    if user.is_frozen:
        record_event(user, EventKind.PASSWORD_RESET_REQUESTED, context=context, refused="frozen")
        return
    issued = links.issue(
        RESET_PURPOSE,
        landing="security:password-reset-confirm",
        lifetime=timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        user=user,
        subject=f"user:{user.pk}",
    )
    record_event(user, EventKind.PASSWORD_RESET_REQUESTED, context=context)
    send_email(user, "password_reset", {"url": issued.url, "ip": context.ip})


def user_in_reset(request):
    """The account whose reset link this session holds, when it may still be reset; else None."""
    try:
        link = links.held(request, RESET_PURPOSE)
    except links.LinkInvalid:
        return None
    user = link.user
    if user is None or not user.is_active or user.is_frozen:
        return None
    return user


@transaction.atomic
def reset_password(request, *, new_password: str, context: RequestContext) -> int:
    """Set the password from the reset link this session holds and end every session of the user.

    Raises LinkInvalid when the link is gone (another request used it first: only one succeeds) and
    ValidationError for a password that breaks a rule (the link stays usable). Nobody is signed in
    here: the next sign-in asks for the password and then the second step as usual.
    """
    link = links.spend(links.held(request, RESET_PURPOSE))
    user = link.user
    if user is None or not user.is_active or user.is_frozen:
        raise links.LinkInvalid(links.UNKNOWN)
    _set_password(user, new_password)
    ended = sessions.end_sessions(user)
    record_event(user, EventKind.PASSWORD_RESET, context=context, sessions_ended=ended)
    send_email(user, "password_reset_done", {"ip": context.ip, "sessions_ended": ended})
    links.release(request, RESET_PURPOSE)
    return ended
