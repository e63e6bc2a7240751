"""A user's account activity: their sessions, the security log, the anti-phishing phrase, and the
"This wasn't me" link. Reads first, then the writes, each recording its event.
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import freeze_account
from security import login_protection, sessions
from security.events import EventKind, RequestContext, record_event
from security.forms import AntiPhishingPhraseForm
from security.models import FreezeLinkUse, SecurityEvent, UserSession

RECENT_EVENTS = 10


# Reads.


def active_sessions(user):
    """The user's sessions that can still make a request: within both time bounds, newest first."""
    now = timezone.now()
    # last_seen lags by up to the touch interval, so allow for it before calling a session idle.
    idle_since = now - settings.SESSION_IDLE_TIMEOUT - settings.SESSION_TOUCH_INTERVAL
    return UserSession.objects.filter(
        user=user,
        created__gte=now - settings.SESSION_ABSOLUTE_TIMEOUT,
        last_seen__gte=idle_since,
        session_key__in=Session.objects.filter(expire_date__gt=now).values("session_key"),
    ).order_by("-last_seen", "-id")


def filter_events(events, *, kind: str = "", date_from=None, date_to=None):
    """Narrow a log queryset by kind and by an inclusive date range (UTC days)."""
    if kind:
        events = events.filter(kind=kind)
    if date_from:
        events = events.filter(created__gte=timezone.make_aware(datetime.combine(date_from, time.min)))
    if date_to:
        events = events.filter(created__lte=timezone.make_aware(datetime.combine(date_to, time.max)))
    return events


def events_of_user(user):
    return SecurityEvent.objects.filter(user=user).order_by("-created", "-id")


def events_of_shop(shop):
    return SecurityEvent.objects.filter(shop=shop).select_related("user").order_by("-created", "-id")


def account_security_context(request) -> dict:
    """What the Account Security page's activity section shows: sessions, recent events, the phrase."""
    user = request.user
    session_rows = list(active_sessions(user))
    current = request.session.session_key
    for row in session_rows:
        row.current = row.session_key == current
    return {
        "sessions": session_rows,
        "other_sessions": sum(not row.current for row in session_rows),
        "recent_events": list(events_of_user(user)[:RECENT_EVENTS]),
        "phrase_form": AntiPhishingPhraseForm(initial={"phrase": user.anti_phishing_phrase}),
    }


# Writes.


class CurrentSessionError(Exception):
    """The session asked to end is the caller's own: that is signing out."""


@transaction.atomic
def end_session(user, session_id, *, current_key: str | None, context: RequestContext) -> bool:
    """End one of the user's sessions; False when the user has no such session."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    if row.session_key == current_key:
        raise CurrentSessionError("This is the session you are using: sign out instead.")
    sessions.end([row])
    record_event(user, EventKind.SESSION_ENDED, context=context, device=row.device, ip=row.ip, count=1)
    return True


@transaction.atomic
def end_other_sessions(user, *, current_key: str | None, context: RequestContext) -> int:
    """End every session of the user but the current one; returns how many ended."""
    ended = sessions.end_sessions(user, keep_session_key=current_key)
    if ended:
        record_event(user, EventKind.SESSION_ENDED, context=context, count=ended, all_others=True)
    return ended


@transaction.atomic
def set_anti_phishing_phrase(user, phrase: str, *, context: RequestContext) -> bool:
    """Set (or clear, with "") the phrase our e-mails show; False when it did not change."""
    if phrase == user.anti_phishing_phrase:
        return False
    user.anti_phishing_phrase = phrase
    user.save(update_fields=["anti_phishing_phrase"])
    record_event(user, EventKind.ANTI_PHISHING_PHRASE_CHANGED, context=context, set=bool(phrase))
    return True


@transaction.atomic
def use_freeze_link(token: str, *, context: RequestContext):
    """Freeze the account a new-sign-in alert was about; each link works once (FreezeLinkInvalid)."""
    alert = login_protection.alert_for_freeze_token(token)
    try:
        with transaction.atomic():
            FreezeLinkUse.objects.create(alert=alert)
    except IntegrityError:
        raise login_protection.FreezeLinkInvalid(login_protection.USED_MESSAGE, status=410) from None
    freeze_account(
        alert.user, reason="reported an unrecognised sign-in from the alert e-mail", context=context
    )
    return alert.user
