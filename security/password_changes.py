"""Writes that set a password: change while signed in, reset by e-mail, and the history they keep."""

from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from notifications.email import send_email
from security import sessions
from security.events import EventKind, RequestContext, record_event
from security.models import PasswordHistory
from security.passwords import HISTORY_SIZE

User = get_user_model()


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


def reset_path(user) -> str:
    """The path of a reset e-mail's single-use link; PASSWORD_RESET_TIMEOUT bounds its life."""
    return reverse(
        "security:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def request_password_reset(email: str, context: RequestContext) -> None:
    """E-mail a reset link if an active, unfrozen account uses this address; silent otherwise.

    A frozen account is in recovery: whoever holds its mailbox may be the attacker, so no link.
    """
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return
    if user.is_frozen:
        record_event(user, EventKind.PASSWORD_RESET_REQUESTED, context=context, refused="frozen")
        return
    record_event(user, EventKind.PASSWORD_RESET_REQUESTED, context=context)
    send_email(user, "password_reset", {"path": reset_path(user), "ip": context.ip})


def user_for_reset(uidb64: str, token: str):
    """The user a reset link belongs to, or None when it is malformed, used, or older than an hour."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, ValidationError):
        return None
    if user.is_frozen or not default_token_generator.check_token(user, token):
        return None
    return user


# Django's own trick: the reset token leaves the address bar for the session before the form is
# shown, so that it cannot leak through the Referer header or the browser history.
RESET_SESSION_KEY = "password_reset"


def hold_reset_link(session, uidb64: str, token: str) -> None:
    session[RESET_SESSION_KEY] = {"uidb64": uidb64, "token": token}


def user_in_reset(session, uidb64: str | None = None):
    """The user whose reset link this session holds (for that `uidb64` if given), or None."""
    held = session.get(RESET_SESSION_KEY)
    if not isinstance(held, dict) or (uidb64 is not None and held.get("uidb64") != uidb64):
        return None
    return user_for_reset(str(held.get("uidb64", "")), str(held.get("token", "")))


def release_reset_link(session) -> None:
    session.pop(RESET_SESSION_KEY, None)


@transaction.atomic
def reset_password(user, *, new_password: str, context: RequestContext) -> int:
    """Set the password from a reset link and end every session of the user.

    Nobody is signed in here: the next sign-in asks for the password and then the second step as
    usual. Setting the password also spends the link (its token hashes the old password).
    """
    _set_password(user, new_password)
    ended = sessions.end_sessions(user)
    record_event(user, EventKind.PASSWORD_RESET, context=context, sessions_ended=ended)
    send_email(user, "password_reset_done", {"ip": context.ip, "sessions_ended": ended})
    return ended
