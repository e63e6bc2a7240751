"""Every e-mail the product sends is rendered here, in the shared layout: send_email() queues it for
the worker; recovery's outbox (recovery/services/notices.py) renders with render_email() and keeps
each message in the database until it is sent."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.tasks import deliver_email


def render_email(template: str, context: dict | None = None, *, user=None) -> tuple[str, str]:
    """(subject, body) of email/<template>.txt: the template's first line is the subject; the user's
    anti-phishing phrase, when they set one, is shown in the layout, and times are written in the
    user's time zone (UTC for a bare address)."""
    context = {"user": user, "site_url": settings.SITE_URL, **(context or {})}
    with timezone.override(_zone(getattr(user, "time_zone", None))):
        text = render_to_string(f"email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.lstrip("\n")


def send_email(to, template: str, context: dict | None = None, *, user=None) -> None:
    """Render email/<template>.txt and queue it once the current transaction commits.

    `to` is an address or a user (whose anti-phishing phrase and time zone the e-mail uses).
    """
    if user is None and hasattr(to, "email"):
        user = to
    address = to.email if hasattr(to, "email") else to
    subject, body = render_email(template, context, user=user)
    # robust: a broker outage must not turn an action that already committed into a server error;
    # the failure is logged (and the Celery client retries the connection first).
    transaction.on_commit(lambda: deliver_email.delay(address, subject, body), robust=True)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
