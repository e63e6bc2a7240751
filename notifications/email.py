"""Every e-mail the product sends goes through send_email(), which renders the shared layout."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.tasks import deliver_email


def send_email(to, template: str, context: dict | None = None, *, user=None) -> None:
    """Render email/<template>.txt and queue it once the current transaction commits.

    The template's first line is the subject. `to` is an address or a user; the user's
    anti-phishing phrase, when they set one, is shown in the layout, and times are written in the
    user's time zone (UTC for a bare address).
    """
    if user is None and hasattr(to, "email"):
        user = to
    address = to.email if hasattr(to, "email") else to
    context = {"user": user, "site_url": settings.SITE_URL, **(context or {})}
    with timezone.override(_zone(getattr(user, "time_zone", None))):
        text = render_to_string(f"email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    subject = " ".join(subject.split())
    # robust: a broker outage must not turn an action that already committed into a server error;
    # the failure is logged (and the Celery client retries the connection first).
    transaction.on_commit(lambda: deliver_email.delay(address, subject, body.lstrip("\n")), robust=True)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
