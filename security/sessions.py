"""Signed-in sessions: what the gate keeps in each, the UserSession rows the user can see, and
ending them (one, all others, or all: a password change, a freeze)."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import EventKind, RequestContext, record_event
from security.device_names import describe_device
from security.models import UserSession

# Keys this module keeps in request.session.
AUTH_AT = "auth_at"  # when the password was accepted (absolute timeout)
SEEN_AT = "seen_at"  # the last time a request touched the session (idle timeout)
TWO_STEP_PENDING = "two_step_pending"  # the password passed, the second step has not


def start(request, user, context: RequestContext, *, record: bool = True) -> UserSession | None:
    """Stamp a freshly rotated session and record it for the Account Security page.

    `record=False` only stamps it: the login benchmark's baseline with LOGIN_PROTECTION off.
    """
    now = timezone.now()
    request.session[AUTH_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    if not record:
        return None
    if request.session.session_key is None:
        request.session.save()
    return UserSession.objects.create(
        session_key=request.session.session_key,
        user=user,
        ip=context.ip,
        user_agent=context.user_agent,
        device=describe_device(context.user_agent),
        created=now,
        last_seen=now,
    )


def expired(request) -> bool:
    """True when the session passed its absolute or idle bound (SPEC §7)."""
    now = timezone.now().timestamp()
    auth_at = request.session.get(AUTH_AT)
    seen_at = request.session.get(SEEN_AT, auth_at)
    if auth_at is None:
        return True
    return (
        now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        or now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
    )


def touch(request) -> None:
    """Move last-seen forward, at most once per SESSION_TOUCH_INTERVAL to spare a write per request."""
    now = timezone.now()
    if now.timestamp() - request.session.get(SEEN_AT, 0) < settings.SESSION_TOUCH_INTERVAL.total_seconds():
        return
    request.session[SEEN_AT] = now.timestamp()
    UserSession.objects.filter(session_key=request.session.session_key).update(last_seen=now)


def end_sessions(user, *, keep_session_key: str | None = None) -> int:
    """End every session of the user (but the one kept): they are signed out on their next request."""
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    return end(rows)


def end(rows) -> int:
    """End these recorded sessions: the Django session goes with its row, so the browser is signed
    out on its next request. Returns how many ended."""
    keys = [row.session_key for row in rows]
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def forget(session_key: str | None) -> None:
    """Drop the row of a session that ended (logout, expiry)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def rekey(old_key: str | None, new_key: str, *, second_step: str | None = None) -> None:
    """Follow a session whose key was rotated in place; after the second step, note its method (the
    session list marks sessions opened with an e-mail code)."""
    if old_key:
        changes = {"session_key": new_key, **({"second_step": second_step} if second_step else {})}
        UserSession.objects.filter(session_key=old_key).update(**changes)


class CurrentSessionError(Exception):
    """The session asked to end is the caller's own: that is signing out."""


@transaction.atomic
def end_session(user, session_id, *, current_key: str | None, context: RequestContext) -> bool:
    """End one of the user's sessions and log it; False when the user has no such session."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    if row.session_key == current_key:
        raise CurrentSessionError(_("This is the session you are using: sign out instead."))
    end([row])
    record_event(user, EventKind.SESSION_ENDED, context=context, device=row.device, ip=row.ip, count=1)
    return True


@transaction.atomic
def end_other_sessions(user, *, current_key: str | None, context: RequestContext) -> int:
    """End every session of the user but the current one and log it; returns how many ended."""
    ended = end_sessions(user, keep_session_key=current_key)
    if ended:
        record_event(user, EventKind.SESSION_ENDED, context=context, count=ended, all_others=True)
    return ended


@transaction.atomic
def end_by_staff(rows, *, by, context: RequestContext) -> int:
    """Support staff end these sessions; each person's log says so. Returns how many ended."""
    rows = list(rows)
    end(rows)
    for row in rows:
        record_event(row.user, EventKind.SESSION_ENDED, context=context, device=row.device, by_staff=by.email)
    return len(rows)
