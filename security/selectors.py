"""Reads of security state shared by pages, the API and the admin: sessions and the security log."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from audit.models import SecurityEvent
from security.models import UserSession


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
    """Narrow a log queryset by kind and by an inclusive date range, in days of the current time
    zone: the viewer's on pages, UTC in the API."""
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


def kinds_in(events) -> list[str]:
    """The event kinds that appear in this log queryset: what its filter offers."""
    return list(events.order_by().values_list("kind", flat=True).distinct())
