"""E-mailed links: password resets, "This wasn't me" freezes, invitations, recovery uploads.

A link reads {SITE_URL}/link/#<token>. The token sits in the URL fragment, which a browser never
sends to a server: it reaches no access log, no proxy and no Referer header. The /link/ page posts
it once (a small script does it; without script the person presses a button), and redeem() trades
it for a value held in the session, then redirects to the link's token-free page. That page reads
held(); the action it guards calls spend() inside its own transaction, which takes the link's row
lock and counts one use only when the action completes. Opening a link, even while signed in as
someone else, spends nothing: mail scanners that follow links cannot use one up.

Only a keyed hash of each token is stored, so a copy of the database opens nothing.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import EmailLink

SESSION_KEY = "email_links"


class LinkInvalid(Exception):
    """A link that cannot be used: `status` is 400 for a token we never issued, 410 for one that
    expired, was used up or was replaced; the message says which and what to do."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


UNKNOWN = gettext_lazy("This link is not valid. Check that you opened the whole link from the e-mail.")
EXPIRED = gettext_lazy("This link has expired. Ask for a new one.")
USED = gettext_lazy("This link was already used. Each link works only as many times as its e-mail says.")
REVOKED = gettext_lazy("A newer e-mail replaced this link. Use the link in the most recent e-mail.")

# What a link of a purpose says, when the apps above have something more useful to say than USED
# (what happens next) or REVOKED (the subject was withdrawn, not replaced by a newer e-mail): by
# (purpose, "used" | "withdrawn"). Filled by register_messages() from the apps' ready().
_MESSAGES: dict[tuple[str, str], str] = {}


def register_messages(purpose: str, *, used=None, withdrawn=None) -> None:
    """What a link of `purpose` says when used up (instead of USED) or withdrawn (instead of
    REVOKED, see revoke(withdrawn=True)); each a lazy translation, or None to keep the default."""
    for state, message in (("used", used), ("withdrawn", withdrawn)):
        if message is not None:
            _MESSAGES[purpose, state] = message


@dataclass(frozen=True)
class IssuedLink:
    link: EmailLink
    token: str

    @property
    def url(self) -> str:
        """The absolute address to put in the e-mail."""
        return f"{settings.SITE_URL}{reverse('notifications:link')}#{self.token}"


def _hash(token: str) -> str:
    return salted_hmac("notifications.email-link", token, algorithm="sha256").hexdigest()


@transaction.atomic
def issue(
    purpose: str,
    *,
    landing: str,
    lifetime: timedelta,
    user=None,
    subject: str = "",
    uses: int = 1,
    replace: bool = True,
) -> IssuedLink:
    """A new link for `purpose` that opens the page named `landing`, valid for `lifetime` and
    `uses` completed actions. With `replace`, live links of the same purpose and subject die."""
    if replace and subject:
        revoke(purpose, subject)
    token = secrets.token_urlsafe(32)
    link = EmailLink.objects.create(
        purpose=purpose,
        subject=subject,
        user=user,
        landing=landing,
        token_hash=_hash(token),
        expires=timezone.now() + lifetime,
        uses_allowed=uses,
    )
    return IssuedLink(link=link, token=token)


def revoke(purpose: str, subject: str, *, withdrawn: bool = False) -> int:
    """Kill the live links of this purpose and subject; returns how many.

    `withdrawn` says the subject itself was withdrawn (a revoked invitation): the link then says the
    purpose's registered withdrawn message instead of REVOKED ("a newer e-mail replaced this link",
    true only of a resend)."""
    return EmailLink.objects.filter(purpose=purpose, subject=subject, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), withdrawn=withdrawn
    )


def _check(link: EmailLink | None) -> EmailLink:
    if link is None:
        raise LinkInvalid(UNKNOWN)
    if link.revoked_at is not None:
        message = _MESSAGES.get((link.purpose, "withdrawn"), REVOKED) if link.withdrawn else REVOKED
        raise LinkInvalid(message, status=410)
    if link.uses >= link.uses_allowed:
        raise LinkInvalid(_MESSAGES.get((link.purpose, "used"), USED), status=410)
    if link.expires <= timezone.now():
        raise LinkInvalid(EXPIRED, status=410)
    return link


def find(token: str, purpose: str | None = None) -> EmailLink:
    """The live link this token opens (of this purpose, if given); LinkInvalid otherwise."""
    token = (token or "").strip()
    if not token or len(token) > 200:
        raise LinkInvalid(UNKNOWN)
    link = EmailLink.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if link is not None and purpose is not None and link.purpose != purpose:
        link = None
    return _check(link)


def redeem(request, token: str) -> EmailLink:
    """Trade a token for a session-held value; the caller redirects to reverse(link.landing)."""
    link = find(token)
    held_links = dict(request.session.get(SESSION_KEY) or {})
    held_links[link.purpose] = link.pk
    request.session[SESSION_KEY] = held_links
    return link


def held(request, purpose: str) -> EmailLink:
    """The live link of this purpose that this session redeemed; LinkInvalid when there is none."""
    pk = (request.session.get(SESSION_KEY) or {}).get(purpose)
    if pk is None:
        raise LinkInvalid(_("Open the link from your e-mail again to continue."))
    return _check(EmailLink.objects.select_related("user").filter(pk=pk, purpose=purpose).first())


def release(request, purpose: str) -> None:
    """Forget the session's link of this purpose (after its action completed)."""
    held_links = dict(request.session.get(SESSION_KEY) or {})
    if held_links.pop(purpose, None) is not None:
        request.session[SESSION_KEY] = held_links


def spend(link: EmailLink) -> EmailLink:
    """Count one use of the link under its row lock; LinkInvalid when another request used it up
    first. Call it inside the transaction of the action it guards, so a failed action spends nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("spend() belongs inside the transaction of the action the link allows.")
    locked = _check(EmailLink.objects.select_for_update().filter(pk=link.pk).first())
    locked.uses += 1
    locked.save(update_fields=["uses"])
    return locked
