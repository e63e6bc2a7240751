"""Bills, the payout account and its history, and withdrawals of the balance (SPEC §6a)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_fsm import FSMField, transition

from accounts.models import Shop
from commerce import sealing
from commerce.models.common import MONEY, not_negative, status_valid


class BillStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    SETTLED = "settled", gettext_lazy("Settled")


class Bill(models.Model):
    """One month's sales and the platform's fees on them; once settled, its net counts in the balance."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="bills")
    period = models.DateField(help_text=gettext_lazy("The first day of the month the bill covers."))
    reference = models.CharField(
        max_length=64, blank=True, help_text=gettext_lazy("The statement's reference.")
    )
    amount = models.DecimalField(**MONEY)
    fees = models.DecimalField(**MONEY, default=0)
    status = models.CharField(max_length=16, choices=BillStatus.choices, default=BillStatus.OPEN)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "period"], name="bill_period_unique_per_shop"),
            not_negative("bill", "amount"),
            not_negative("bill", "fees"),
            models.CheckConstraint(condition=Q(fees__lte=F("amount")), name="bill_fees_within_amount"),
            status_valid("bill", BillStatus),
        ]

    def __str__(self):
        return f"Bill {self.period:%Y-%m}"

    @property
    def net(self):
        return self.amount - self.fees


class PayoutAccountStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    PENDING_REVIEW = "pending_review", gettext_lazy("Waiting for review")
    REPLACED = "replaced", gettext_lazy("Replaced")
    REJECTED = "rejected", gettext_lazy("Rejected by support")
    ROLLED_BACK = "rolled_back", gettext_lazy("Rolled back")


class HoldReason(models.TextChoices):
    """Why withdrawals wait after a change of the payout account (SPEC §6a)."""

    CHANGE = "change", gettext_lazy("Every change of the payout account holds withdrawals for 72 hours")
    NEW_DEVICE = (
        "new_device",
        gettext_lazy("The change came from a browser first seen on this account in the last 30 days"),
    )
    NEW_NETWORK = (
        "new_network",
        gettext_lazy("The change came from a network first seen on this account in the last 30 days"),
    )
    RECENT_ACCOUNT_CHANGE = (
        "recent_account_change",
        gettext_lazy("The e-mail address, password or two-step settings changed in the last 7 days"),
    )
    REVIEW = (
        "review",
        gettext_lazy("This account number is registered by another shop: support reviews it first"),
    )


class PayoutAccount(models.Model):
    """One set of payout details a shop registered: the shop's payout account history, newest first.

    At most one is active (paid out to) and at most one waits for support's review. The number itself
    is sealed (commerce.sealing); pages, the API, e-mails and the admin only ever show `masked`.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="payout_accounts")
    holder_name = models.CharField(max_length=120)
    bank_name = models.CharField(max_length=120)
    routing_code = models.CharField(max_length=34)
    sealed_number = models.TextField(editable=False)
    last4 = models.CharField(max_length=4, editable=False)
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    status = FSMField(max_length=16, choices=PayoutAccountStatus.choices, default=PayoutAccountStatus.ACTIVE)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Withdrawals wait until then (and while the account waits for review).
    hold_until = models.DateTimeField(default=timezone.now)
    hold_reasons = models.JSONField(default=list, blank=True)
    # When it started to receive payouts (None: never did) and when it stopped.
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why it was rejected or rolled back, and who reviewed it.
    status_reason = models.CharField(max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"], condition=Q(status="active"), name="payout_account_one_active_per_shop"
            ),
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(status="pending_review"),
                name="payout_account_one_pending_per_shop",
            ),
            status_valid("payout_account", PayoutAccountStatus),
        ]
        permissions = [
            ("review_payoutaccount", gettext_lazy("Can approve or reject a flagged payout account"))
        ]

    def __str__(self):
        return f"{self.bank_name} {self.masked}"

    @property
    def masked(self) -> str:
        """The account number as shown anywhere: "••••1234"."""
        return sealing.masked(self.last4)

    @property
    def summary(self) -> str:
        """The bank and the last four digits: what a code approves and what e-mails name."""
        return f"{self.bank_name} {self.masked}"

    def set_number(self, number: str) -> None:
        """Seal the account number and keep what is needed to show and match it."""
        self.sealed_number = sealing.seal(number)
        self.last4 = sealing.last_four(number)
        self.fingerprint = sealing.fingerprint(self.routing_code, number)

    def hold_reason_labels(self) -> list[str]:
        return [str(HoldReason(code).label) for code in self.hold_reasons if code in HoldReason.values]

    @transition(field=status, source=PayoutAccountStatus.PENDING_REVIEW, target=PayoutAccountStatus.ACTIVE)
    def approve(self, *, by, reason: str):
        self.reviewed_by, self.reviewed_at, self.status_reason = by, timezone.now(), reason
        self.activated_at = timezone.now()

    @transition(field=status, source=PayoutAccountStatus.PENDING_REVIEW, target=PayoutAccountStatus.REJECTED)
    def reject(self, *, by, reason: str):
        self.reviewed_by, self.reviewed_at, self.status_reason = by, timezone.now(), reason
        self.ended_at = timezone.now()

    @transition(
        field=status,
        source=[PayoutAccountStatus.ACTIVE, PayoutAccountStatus.PENDING_REVIEW],
        target=PayoutAccountStatus.REPLACED,
    )
    def replace(self):
        self.ended_at = timezone.now()

    @transition(
        field=status,
        source=[PayoutAccountStatus.ACTIVE, PayoutAccountStatus.PENDING_REVIEW, PayoutAccountStatus.REPLACED],
        target=PayoutAccountStatus.ROLLED_BACK,
    )
    def roll_back(self, *, reason: str):
        self.ended_at, self.status_reason = timezone.now(), reason

    @transition(field=status, source=PayoutAccountStatus.REPLACED, target=PayoutAccountStatus.ACTIVE)
    def restore(self):
        self.ended_at = None


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("Requested")
    PAID = "paid", gettext_lazy("Paid out")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class Withdrawal(models.Model):
    """The owner's request to pay part of the balance out to the payout account."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="withdrawals")
    payout_account = models.ForeignKey(PayoutAccount, on_delete=models.PROTECT, related_name="withdrawals")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = FSMField(max_length=16, choices=WithdrawalStatus.choices, default=WithdrawalStatus.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    payout_reference = models.CharField(max_length=32, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "created"], name="withdrawal_status_created")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="withdrawal_amount_positive"),
            status_valid("withdrawal", WithdrawalStatus),
        ]

    def __str__(self):
        return f"Withdrawal of {self.amount} {self.currency}"

    @transition(field=status, source=WithdrawalStatus.REQUESTED, target=WithdrawalStatus.PAID)
    def pay(self, *, reference: str):
        self.paid_at, self.payout_reference = timezone.now(), reference

    @transition(field=status, source=WithdrawalStatus.REQUESTED, target=WithdrawalStatus.CANCELLED)
    def cancel(self, *, reason: str):
        self.cancelled_at, self.cancel_reason = timezone.now(), reason
