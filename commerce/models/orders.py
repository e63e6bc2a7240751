"""Orders, and the refunds paid back on them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, FSMField, transition

from accounts.models import Shop
from commerce.models.common import MONEY, not_negative, status_valid


class OrderStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    SHIPPED = "shipped", gettext_lazy("Shipped")
    DELIVERED = "delivered", gettext_lazy("Delivered")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", gettext_lazy("Partly refunded")
    REFUNDED = "refunded", gettext_lazy("Refunded")


# Orders whose goods left the shop: they can be refunded (returns, damage), not cancelled.
REFUNDABLE = [OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED]


class Carrier(models.TextChoices):
    DHL = "dhl", "DHL"
    FEDEX = "fedex", "FedEx"
    UPS = "ups", "UPS"
    POSTAL = "postal", gettext_lazy("National post")
    OTHER = "other", gettext_lazy("Other carrier")


class Order(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=32)
    buyer_name = models.CharField(max_length=120)
    total = models.DecimalField(**MONEY)
    status = FSMField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    carrier = models.CharField(max_length=16, choices=Carrier.choices, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    refunded_total = models.DecimalField(**MONEY, default=Decimal("0"))
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["shop", "-created", "-id"], name="order_shop_newest_first")]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_number_unique_per_shop"),
            not_negative("order", "total"),
            models.CheckConstraint(
                condition=Q(refunded_total__gte=0, refunded_total__lte=F("total")),
                name="order_refunds_within_total",
            ),
            status_valid("order", OrderStatus),
        ]

    def __str__(self):
        return f"Order {self.number}"

    @property
    def refundable(self) -> Decimal:
        """What may still be refunded on this order (in the shop's currency)."""
        return self.total - self.refunded_total

    @transition(field=status, source=OrderStatus.PENDING, target=OrderStatus.SHIPPED)
    def ship(self, *, carrier: str, tracking_number: str):
        self.carrier, self.tracking_number, self.shipped_at = carrier, tracking_number, timezone.now()

    @transition(field=status, source=OrderStatus.PENDING, target=OrderStatus.CANCELLED)
    def cancel(self, *, reason: str):
        self.cancelled_at, self.cancel_reason = timezone.now(), reason

    @transition(
        field=status,
        source=REFUNDABLE,
        target=RETURN_VALUE(OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED),
    )
    def refund(self, amount: Decimal):
        """Count a refund; the caller has checked that it fits in what remains refundable."""
        self.refunded_total += amount
        return OrderStatus.REFUNDED if self.refunded_total >= self.total else OrderStatus.PARTIALLY_REFUNDED


class RefundReason(models.TextChoices):
    RETURNED = "returned", gettext_lazy("Item returned")
    DAMAGED = "damaged", gettext_lazy("Arrived damaged")
    NOT_AS_DESCRIBED = "not_as_described", gettext_lazy("Not as described")
    MISSING_ITEM = "missing_item", gettext_lazy("Item missing from the parcel")
    GOODWILL = "goodwill", gettext_lazy("Goodwill gesture")


class Refund(models.Model):
    """Money paid back to the buyer on an order: all of what remains, or part of it.

    `key` identifies the refund request (the form's or the API client's idempotency key): the same
    request sent twice finds this row instead of refunding again.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=20, choices=RefundReason.choices)
    note = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "key"], name="refund_request_applied_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self):
        return f"Refund of {self.amount} on {self.order}"
