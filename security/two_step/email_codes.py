"""When a code by e-mail may complete a sign-in (SPEC §6).

Whoever holds the mailbox can reset the password. If the same mailbox could then receive the second
step, it alone would open the account. So for EMAIL_CODE_REFUSAL_PERIOD (7 days) after a password
reset or a change of the e-mail address, the e-mail code is refused on that account: the
authenticator app, a recovery code or account recovery is needed instead.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from security.account_history import last_changes
from security.two_step.errors import NotAvailable


class EmailCodeRefused(NotAvailable):
    code = "email_code_refused"


def refused_since(user) -> datetime | None:
    """When the change that keeps e-mail codes out happened (a reset or an address change within the
    period), or None when an e-mail code may complete a sign-in."""
    changes = last_changes(user)
    cutoff = timezone.now() - settings.EMAIL_CODE_REFUSAL_PERIOD
    recent = [when for when in (changes.password_reset, changes.email_changed) if when and when >= cutoff]
    return max(recent) if recent else None


def refusal_message(since: datetime, *, link: bool = False) -> str:
    """Why e-mail codes are refused until when, and what to use instead. `link`: HTML for a page,
    with the recovery address as a link; otherwise plain text (the API, e-mail)."""
    until = f"{since + settings.EMAIL_CODE_REFUSAL_PERIOD:%d %b %Y, %H:%M}"
    recover = reverse("recovery:request")
    text = _(
        "Codes by e-mail cannot complete a sign-in until %(until)s UTC, because this "
        "account's password or e-mail address changed recently. Use the code from your authenticator "
        "app or one of your recovery codes. Lost both? Ask for account recovery at %(recover)s."
    )
    if not link:
        return text % {"until": until, "recover": recover}
    anchor = format_html('<a href="{}">{}</a>', recover, recover)
    return mark_safe(escape(text) % {"until": escape(until), "recover": anchor})  # noqa: S308


def ensure_allowed(user) -> None:
    """EmailCodeRefused, saying what to use instead, while e-mail codes are kept out."""
    since = refused_since(user)
    if since is not None:
        raise EmailCodeRefused(refusal_message(since))
