"""Writes that set a password: change while signed in, reset by an e-mailed link, a first password,
and the history they keep. Each validates against SPEC §4, writes, and records its event."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from accounts.addresses import canonical_email
from accounts.selectors import two_step_enabled
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import render_email, send_email
from security import login_protection, reauthentication, sessions
from security.models import PasswordHistory
from security.passwords import verdicts
from security.passwords.rules import HISTORY_SIZE
from security.tasks import deliver_reset_email

User = get_user_model()

RESET_PURPOSE = "password_reset"
WRONG_CURRENT_PASSWORD = gettext_lazy("That is not your current password. Type it again.")


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
        reauthentication.mark(request)  # the current password was just typed
    record_event(user, EventKind.PASSWORD_CHANGED, context=context, sessions_ended=ended)
    send_email(user, "password_changed", {"ip": context.ip, "sessions_ended": ended})
    return ended


@transaction.atomic
def request_password_reset(email: str, context: RequestContext) -> None:
    """E-mail a reset link if an active, unfrozen account uses this address; silent otherwise.

    The link works once, for PASSWORD_RESET_TIMEOUT seconds; asking again replaces it. A frozen
    account is in recovery: whoever holds its mailbox may be the attacker, so no link, only the way
    back through /recover/ (email/password_reset_frozen.txt).

    Known address or not, the request does the same work (SPEC §7): it looks the account up, writes
    a link row (one that no e-mail carries when there is nobody to send it to), logs the request,
    renders the e-mail and queues one delivery task for after the commit, which sends it only to an
    account that may reset its password. The time of the answer tells nothing.
    """
    user = User.objects.by_email(email).filter(is_active=True).first()
    may_reset = user is not None and not user.is_frozen
    issued = links.issue(
        RESET_PURPOSE,
        landing="security:password-reset-confirm",
        lifetime=timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        user=user if may_reset else None,
        subject=f"user:{user.pk}" if user else _address_subject(email),
    )
    if may_reset:
        record_event(user, EventKind.PASSWORD_RESET_REQUESTED, context=context)
    elif user is not None:
        record_event(user, EventKind.PASSWORD_RESET_REQUESTED, context=context, refused="frozen")
    else:
        record_event(None, EventKind.PASSWORD_RESET_REQUESTED, context=context, email=email.strip()[:254])
    frozen = user is not None and user.is_frozen
    subject, body = render_email(
        "password_reset_frozen" if frozen else "password_reset",
        {
            "url": issued.url,
            "ip": context.ip,
            "two_step": two_step_enabled(user.pk if user else None),
            "frozen_at": user.frozen_at if frozen else None,
        },
        user=user or User(email=email),
    )
    address = user.email if may_reset or frozen else None
    transaction.on_commit(lambda: deliver_reset_email.delay(address, subject, body), robust=True)


def _address_subject(email: str) -> str:
    """What a link for an address without an account is about: a keyed digest, not the address."""
    return (
        "address:" + salted_hmac(RESET_PURPOSE, canonical_email(email), algorithm="sha256").hexdigest()[:48]
    )


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
    # The lockout's message promises it: a completed reset lets the owner sign in again.
    login_protection.reset_completed(user)
    record_event(user, EventKind.PASSWORD_RESET, context=context, sessions_ended=ended)
    send_email(user, "password_reset_done", {"ip": context.ip, "sessions_ended": ended})
    links.release(request, RESET_PURPOSE)
    return ended


@transaction.atomic
def make_password_unusable(user, *, by, reason: str, context: RequestContext | None = None) -> None:
    """Take the account's password away (an approved recovery case, SPEC §8): nobody can sign in with
    it, the old one included, until the owner sets a new one. The outgoing hash joins the history, so
    it cannot be chosen again. Records PASSWORD_DISABLED; sends nothing (the case's e-mails say it)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        newest = PasswordHistory.objects.filter(user=user).values_list("password", flat=True).first()
        if newest != user.password:
            remember_password(user)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record_event(
        user,
        EventKind.PASSWORD_DISABLED,
        context=context,
        by=getattr(by, "email", None) or "system",
        reason=reason[:200],
    )
