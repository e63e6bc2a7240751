"""Changing the e-mail address of an account: an account-takeover step, guarded as one (SPEC §6).

Whoever controls an account's mailbox can reset its password, so moving the account to a new address
hands it over. The change therefore takes:

1. a fresh second step with the authenticator app or a recovery code, never the e-mail code (the
   callers check it: `step_up_required` on the page, `FreshSecondStep` or a code in the API body);
2. a confirmation link, single use and valid EMAIL_CHANGE_LINK_AGE, sent to the new address, so the
   account never moves to an address nobody reads or someone else's;
3. a notice to the old address with a "This wasn't me" link that freezes the account, sent when the
   change is asked for and again when it completes.

Once confirmed it records EMAIL_CHANGED, which security.account_history.last_changes() reads: for
seven days after it payout-account changes are held longer and the e-mail code is refused as a
second step. A frozen account cannot ask for, nor complete, a change.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import send_email
from security.freeze import FROZEN_MESSAGE, freeze_link_url
from security.models import EmailChange

EMAIL_CHANGE_PURPOSE = "email_change"
EMAIL_CHANGE_LINK_AGE = timedelta(hours=24)

INVALID_ADDRESS = gettext_lazy("Enter a valid e-mail address, such as name@example.com.")
SAME_ADDRESS = gettext_lazy("That is already your e-mail address.")
ADDRESS_TAKEN = gettext_lazy("That address belongs to another Seller Center account. Use a different one.")
ADDRESS_MOVED = gettext_lazy(
    "Your e-mail address changed after this link was sent. Ask for a new change if you still want one."
)


class EmailChangeRefused(Exception):
    """A change that cannot go ahead: `code` is the API's stable reason, `status` its HTTP status
    (400 for a bad address, 409 while the account is frozen)."""

    def __init__(self, message: str, *, code: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def normalise_address(address: str) -> str:
    """The address as accounts store it: trimmed and lower-cased; EmailChangeRefused when invalid."""
    address = (address or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise EmailChangeRefused(INVALID_ADDRESS, code="invalid_email") from None
    return address


def _address_taken(address: str, user) -> bool:
    return get_user_model().objects.by_email(address).exclude(pk=user.pk).exists()


def pending_change(user) -> EmailChange | None:
    """The user's change waiting for its confirmation link, if any."""
    change = (
        EmailChange.objects.filter(user=user, completed_at__isnull=True, cancelled_at__isnull=True)
        .order_by("-created", "-id")
        .first()
    )
    return change if change is not None and change.is_pending else None


@transaction.atomic
def request_email_change(user, new_email: str, *, context: RequestContext) -> EmailChange:
    """Ask to move the account to `new_email`; the caller has checked a fresh second step.

    Sends the confirmation link to the new address and a notice with a "This wasn't me" link to the
    old one, and records EMAIL_CHANGE_REQUESTED. A newer request replaces a pending one. Raises
    EmailChangeRefused for an invalid, unchanged or taken address, or a frozen account.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_frozen:
        raise EmailChangeRefused(FROZEN_MESSAGE, code="account_frozen", status=409)
    address = normalise_address(new_email)
    if address == user.email.lower():
        raise EmailChangeRefused(SAME_ADDRESS, code="same_email")
    if _address_taken(address, user):
        raise EmailChangeRefused(ADDRESS_TAKEN, code="email_taken")
    now = timezone.now()
    EmailChange.objects.filter(user=user, completed_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    # Issuing revokes the live link of the request this one replaces (same purpose and subject).
    issued = links.issue(
        EMAIL_CHANGE_PURPOSE,
        landing="security:email-change-confirm",
        lifetime=EMAIL_CHANGE_LINK_AGE,
        user=user,
        subject=f"user:{user.pk}",
    )
    change = EmailChange.objects.create(
        user=user, old_email=user.email, new_email=address, link=issued.link, expires=issued.link.expires
    )
    record_event(user, EventKind.EMAIL_CHANGE_REQUESTED, context=context, new_email=address)
    send_email(
        address,
        "email_change_confirm",
        {"url": issued.url, "old_email": user.email, "new_email": address, "expires": change.expires},
        user=user,
    )
    send_email(
        user,
        "email_change_requested",
        {
            "new_email": address,
            "expires": change.expires,
            "freeze_url": freeze_link_url(user, subject=f"email_change:{change.pk}"),
        },
    )
    return change


@transaction.atomic
def cancel_email_change(user, *, context: RequestContext) -> bool:
    """Cancel the user's pending change and kill its link; False when none was pending."""
    change = pending_change(user)
    if change is None:
        return False
    change.cancelled_at = timezone.now()
    change.save(update_fields=["cancelled_at"])
    links.revoke(EMAIL_CHANGE_PURPOSE, f"user:{user.pk}")
    record_event(user, EventKind.EMAIL_CHANGE_CANCELLED, context=context, new_email=change.new_email)
    return True


def change_for_link(link) -> EmailChange:
    """The pending change an e-mailed link confirms; LinkInvalid when it was cancelled or done."""
    change = EmailChange.objects.select_related("user").filter(link=link).first()
    if change is None:
        raise links.LinkInvalid(links.UNKNOWN)
    if change.completed_at is not None:
        raise links.LinkInvalid(links.USED, status=410)
    if change.cancelled_at is not None:
        raise links.LinkInvalid(links.REVOKED, status=410)
    return change


@transaction.atomic
def confirm_email_change(link, *, context: RequestContext) -> EmailChange:
    """Spend the confirmation link and move the account to the new address.

    Records EMAIL_CHANGED (old and new address) and tells the old address, with a "This wasn't me"
    link. Raises LinkInvalid for a used, replaced or expired link, or when the address changed since;
    EmailChangeRefused when the account is frozen or the address was taken meanwhile. Nothing is
    spent or changed when it raises.
    """
    link = links.spend(link)
    change = change_for_link(link)
    user = get_user_model().objects.select_for_update().get(pk=change.user_id)
    if user.is_frozen:
        raise EmailChangeRefused(FROZEN_MESSAGE, code="account_frozen", status=409)
    if user.email.lower() != change.old_email.lower():
        raise links.LinkInvalid(ADDRESS_MOVED, status=410)
    if _address_taken(change.new_email, user):
        raise EmailChangeRefused(ADDRESS_TAKEN, code="email_taken", status=409)
    user.email = change.new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        # Another account took the address between the check and the write.
        raise EmailChangeRefused(ADDRESS_TAKEN, code="email_taken", status=409) from None
    change.completed_at = timezone.now()
    change.save(update_fields=["completed_at"])
    record_event(
        user, EventKind.EMAIL_CHANGED, context=context, old_email=change.old_email, new_email=change.new_email
    )
    send_email(
        change.old_email,
        "email_changed",
        {
            "old_email": change.old_email,
            "new_email": change.new_email,
            "freeze_url": freeze_link_url(user, subject=f"email_changed:{change.pk}"),
        },
        user=user,
    )
    return change
