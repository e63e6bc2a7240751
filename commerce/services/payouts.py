"""The payout account (store.sensitive; SPEC §6a): change it with a code bound to the change, hold
withdrawals after every change, flag a number another shop registered, support's review, and the
roll-back when the owner's account is fully frozen."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.events import EventKind, RequestContext, record_event
from commerce import sealing, selectors
from commerce.models import HoldReason, PayoutAccount, PayoutAccountStatus
from commerce.services.common import collect, move, text
from commerce.services.guards import approve_with_code, locked_shop, require_money_path_open
from commerce.services.withdrawals import cancel_unpaid
from notifications.email import send_email
from security.account_history import last_changes, origins
from security.freeze import freeze_link_url

HOLD = timedelta(hours=72)
RISKY_HOLD = timedelta(days=7)
# A browser or network first seen on the account this recently is new to it.
NEW_ORIGIN = timedelta(days=30)
# E-mail, password or two-step settings changed this recently make a change risky.
RECENT_ACCOUNT_CHANGE = timedelta(days=7)
# A full freeze undoes the payout account changes made this recently.
ROLLBACK_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class PayoutDetails:
    """New payout details, checked and normalised; the number is never shown again once saved."""

    holder_name: str
    bank_name: str
    account_number: str
    routing_code: str

    @property
    def summary(self) -> str:
        return f"{self.bank_name} {sealing.masked(sealing.last_four(self.account_number))}"


def clean_details(*, holder_name, bank_name, account_number, routing_code) -> PayoutDetails:
    """ValidationError naming each wrong field; account numbers and bank codes may have spaces."""

    def number():
        value = sealing.normalise(str(account_number or ""))
        if not sealing.ACCOUNT_NUMBER.match(value):
            raise ValidationError(
                {"account_number": [_("Enter the account number or IBAN: 4 to 34 letters and digits.")]}
            )
        return value

    def routing():
        value = sealing.normalise(str(routing_code or ""))
        if not sealing.ROUTING_CODE.match(value):
            raise ValidationError(
                {
                    "routing_code": [
                        _(
                            "Enter the bank code (sort code, routing number or BIC): 2 to 34 letters "
                            "and digits."
                        )
                    ]
                }
            )
        return value

    return PayoutDetails(
        **collect(
            ("holder_name", lambda: text(holder_name, field="holder_name", max_length=120)),
            ("bank_name", lambda: text(bank_name, field="bank_name", max_length=120)),
            ("account_number", number),
            ("routing_code", routing),
        )
    )


def hold_for_change(user, context: RequestContext, now: datetime) -> tuple[datetime, list[str]]:
    """When withdrawals may resume after a change made by `user` from `context`, and why.

    72 hours after every change; 7 days when the browser or the network was first seen on the account
    in the last 30 days (or never: None), or when the e-mail address, password or two-step settings
    changed in the last 7 days (SPEC §6a).
    """
    seen = origins(user, context)
    reasons = []
    if seen.device_first_seen is None or seen.device_first_seen > now - NEW_ORIGIN:
        reasons.append(HoldReason.NEW_DEVICE.value)
    if seen.network_first_seen is None or seen.network_first_seen > now - NEW_ORIGIN:
        reasons.append(HoldReason.NEW_NETWORK.value)
    if last_changes(user).any_since(now - RECENT_ACCOUNT_CHANGE):
        reasons.append(HoldReason.RECENT_ACCOUNT_CHANGE.value)
    if reasons:
        return now + RISKY_HOLD, reasons
    return now + HOLD, [HoldReason.CHANGE.value]


def change_payout_account(shop, *, by, details: PayoutDetails, code: str | None, context: RequestContext):
    """Register new payout details, approved by a code bound to exactly this change.

    403 TwoStepEnrolmentRequired, 409 AccountFrozen, ValidationError for details equal to the
    current account, 403 StepUpRequired (naming the bank and last four digits) without a valid code.
    Then, under the shop's row lock: the new account becomes active (or waits for support's review
    when another shop registered the same number), withdrawals not yet paid out are cancelled,
    withdrawals are held (hold_for_change), the change is recorded and the owner is e-mailed the bank
    and last four digits with a "This wasn't me" link.
    """
    require_money_path_open(shop, by)
    fingerprint = sealing.fingerprint(details.routing_code, details.account_number)
    current = selectors.current_payout_account(shop)
    if current is not None and (current.fingerprint, current.holder_name, current.bank_name) == (
        fingerprint,
        details.holder_name,
        details.bank_name,
    ):
        raise ValidationError(
            {"account_number": [_("These are already the details of your payout account.")]}
        )
    approve_with_code(
        by,
        code,
        context,
        action="finance.payout_account.change",
        what=f"the payout account {details.summary}",
    )

    with transaction.atomic():
        shop = locked_shop(shop)
        require_money_path_open(shop, by)
        now = timezone.now()
        hold_until, reasons = hold_for_change(by, context, now)
        flagged = PayoutAccount.objects.filter(fingerprint=fingerprint).exclude(shop=shop).exists()
        pending = selectors.pending_payout_account(shop)
        if pending is not None:
            pending.replace()
            pending.save()
        active = selectors.active_payout_account(shop)
        if active is not None and not flagged:
            active.replace()
            active.save()
        account = PayoutAccount(
            shop=shop,
            holder_name=details.holder_name,
            bank_name=details.bank_name,
            routing_code=details.routing_code,
            status=PayoutAccountStatus.PENDING_REVIEW if flagged else PayoutAccountStatus.ACTIVE,
            created=now,
            created_by=by,
            hold_until=hold_until,
            hold_reasons=reasons,
            activated_at=None if flagged else now,
        )
        account.set_number(details.account_number)
        account.save()
        cancelled = cancel_unpaid(
            shop,
            reason="payout_account_changed",
            why="The payout account changed: request the withdrawal again once the hold ends.",
            context=context,
            by=by,
        )
        record_event(
            by,
            EventKind.PAYOUT_ACCOUNT_CHANGED,
            shop=shop,
            context=context,
            account=account.summary,
            status=account.status,
            hold_until=hold_until.isoformat(),
            hold_reasons=reasons,
            withdrawals_cancelled=cancelled,
        )
        if flagged:
            record_event(
                by, EventKind.PAYOUT_ACCOUNT_FLAGGED, shop=shop, context=context, account=account.summary
            )
        send_email(
            shop.owner,
            "payout_account_changed",
            {
                "shop": shop,
                "account": account,
                "flagged": flagged,
                "withdrawals_cancelled": cancelled,
                "freeze_url": freeze_link_url(shop.owner, subject=f"payout:{account.pk}"),
            },
        )
    return account


@transaction.atomic
def review_payout_account(account: PayoutAccount, *, by, approve: bool, reason: str, context: RequestContext):
    """Support approves or rejects a flagged account (with a reason the owner is told).

    Approved, it becomes the active account (withdrawals still wait for its hold to end); rejected,
    the account in place before it stays. StateConflict "not_pending_review" when no longer waiting.
    """
    reason = text(reason, field="reason", max_length=500)
    shop = locked_shop(account.shop)
    account = PayoutAccount.objects.select_for_update().get(pk=account.pk)
    if approve:
        if account.status == PayoutAccountStatus.PENDING_REVIEW:
            active = selectors.active_payout_account(shop)
            if active is not None:
                active.replace()
                active.save()
        move(account, "approve", code="not_pending_review", message=NOT_PENDING, by=by, reason=reason)
    else:
        move(account, "reject", code="not_pending_review", message=NOT_PENDING, by=by, reason=reason)
    account.save()
    kind = EventKind.PAYOUT_ACCOUNT_APPROVED if approve else EventKind.PAYOUT_ACCOUNT_REJECTED
    record_event(
        shop.owner, kind, shop=shop, context=context, account=account.summary, reason=reason, by=by.email
    )
    send_email(
        shop.owner,
        "payout_account_reviewed",
        {"shop": shop, "account": account, "approved": approve, "reason": reason},
    )
    return account


NOT_PENDING = gettext_lazy("This payout account is %(status)s: it is no longer waiting for review.")


def roll_back_recent_changes(shop, *, reason: str, context: RequestContext) -> PayoutAccount | None:
    """Undo the payout account changes of the last ROLLBACK_WINDOW and restore the account in place
    before them (if there was one); withdrawals not yet paid out are cancelled. Both are recorded.

    Called inside a full freeze of the owner (commerce.signals). Returns the account restored.
    """
    shop = locked_shop(shop)
    cutoff = timezone.now() - ROLLBACK_WINDOW
    undone = list(
        PayoutAccount.objects.select_for_update()
        .filter(shop=shop, created__gte=cutoff)
        .exclude(status__in=[PayoutAccountStatus.REJECTED, PayoutAccountStatus.ROLLED_BACK])
    )
    for account in undone:
        account.roll_back(reason=reason)
        account.save()
    restored = None
    if undone:
        before = (
            PayoutAccount.objects.select_for_update()
            .filter(
                shop=shop,
                created__lt=cutoff,
                activated_at__isnull=False,
                status__in=[PayoutAccountStatus.ACTIVE, PayoutAccountStatus.REPLACED],
            )
            .order_by("-activated_at", "-id")
            .first()
        )
        if before is not None and before.status == PayoutAccountStatus.REPLACED:
            before.restore()
            before.save()
        restored = before
        record_event(
            shop.owner,
            EventKind.PAYOUT_ACCOUNT_ROLLED_BACK,
            shop=shop,
            context=context,
            rolled_back=[account.summary for account in undone],
            restored=restored.summary if restored else "",
            reason=reason,
        )
    cancelled = cancel_unpaid(shop, reason="account_frozen", why=reason, context=context)
    if undone or cancelled:
        send_email(
            shop.owner,
            "payout_account_rolled_back",
            {"shop": shop, "undone": undone, "restored": restored, "withdrawals_cancelled": cancelled},
        )
    return restored
