"""Each module's data: small, real tables that always belong to exactly one shop (the tenant).

Pages and the API reach these rows only through commerce.selectors, which filter by the caller's shop.
Money is Decimal throughout, and the database itself refuses negative amounts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Shop

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


def _status_valid(name: str, choices) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(status__in=choices.values), name=f"{name}_status_valid")


def _not_negative(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"{name}_{field}_not_negative")


def _percent(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}), name=f"{name}_{field}_percent"
    )


class ProductStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DELISTED = "delisted", "Delisted"


class Product(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=200)
    sku = models.CharField("SKU", max_length=64)
    price = models.DecimalField(**MONEY)
    stock = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=ProductStatus.choices, default=ProductStatus.ACTIVE)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="product_sku_unique_per_shop"),
            _not_negative("product", "price"),
            _status_valid("product", ProductStatus),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    REFUNDED = "refunded", "Refunded"


class Order(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=32)
    buyer_name = models.CharField(max_length=120)
    total = models.DecimalField(**MONEY)
    status = models.CharField(max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_number_unique_per_shop"),
            _not_negative("order", "total"),
            _status_valid("order", OrderStatus),
        ]

    def __str__(self):
        return f"Order {self.number}"


class BillStatus(models.TextChoices):
    OPEN = "open", "Open"
    SETTLED = "settled", "Settled"


class Bill(models.Model):
    """One month's sales and the platform's fees on them."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="bills")
    period = models.DateField(help_text="The first day of the month the bill covers.")
    amount = models.DecimalField(**MONEY)
    fees = models.DecimalField(**MONEY, default=Decimal("0.00"))
    status = models.CharField(max_length=16, choices=BillStatus.choices, default=BillStatus.OPEN)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "period"], name="bill_period_unique_per_shop"),
            _not_negative("bill", "amount"),
            _not_negative("bill", "fees"),
            models.CheckConstraint(condition=Q(fees__lte=F("amount")), name="bill_fees_within_amount"),
            _status_valid("bill", BillStatus),
        ]

    def __str__(self):
        return f"Bill {self.period:%Y-%m}"

    @property
    def net(self) -> Decimal:
        return self.amount - self.fees


class PayoutAccount(models.Model):
    """Where a shop's balance is paid out: what account takeovers aim at, so it is shown masked."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="payout_account")
    holder_name = models.CharField(max_length=120)
    bank_name = models.CharField(max_length=120)
    account_number = models.CharField(max_length=34)
    routing_code = models.CharField(max_length=34)
    # Withdrawals are held for 72 hours after a change, so a hijacker cannot drain the balance at once.
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.bank_name} {self.masked}"

    @property
    def masked(self) -> str:
        """The account number with only its last 4 characters showing."""
        return "•••• " + self.account_number[-4:]


class CampaignStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Campaign(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=120)
    discount_percent = models.DecimalField(**PERCENT)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.SCHEDULED)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="campaign_name_unique_per_shop"),
            _percent("campaign", "discount_percent"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
            _status_valid("campaign", CampaignStatus),
        ]

    def __str__(self):
        return self.name


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class AffiliatePlan(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="affiliate_plans")
    name = models.CharField(max_length=120)
    commission_percent = models.DecimalField(**PERCENT)
    creators_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="affiliate_plan_name_unique_per_shop"),
            _percent("affiliate_plan", "commission_percent"),
            _status_valid("affiliate_plan", PlanStatus),
        ]

    def __str__(self):
        return self.name


class AdPlan(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="ad_plans")
    name = models.CharField(max_length=120)
    daily_budget = models.DecimalField(**MONEY)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="ad_plan_name_unique_per_shop"),
            _not_negative("ad_plan", "daily_budget"),
            models.CheckConstraint(
                condition=Q(clicks__lte=F("impressions")), name="ad_plan_clicks_within_views"
            ),
            _status_valid("ad_plan", PlanStatus),
        ]

    def __str__(self):
        return self.name

    @property
    def click_through_rate(self) -> Decimal | None:
        """Clicks per 100 impressions, or None before the first impression."""
        if not self.impressions:
            return None
        return (Decimal(self.clicks) * 100 / self.impressions).quantize(Decimal("0.01"))


class ConversationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Conversation(models.Model):
    """A buyer's thread with the shop in the messenger."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="conversations")
    buyer_name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated", "-id"]
        constraints = [_status_valid("conversation", ConversationStatus)]

    def __str__(self):
        return f"{self.subject} ({self.buyer_name})"


class MessageSender(models.TextChoices):
    BUYER = "buyer", "Buyer"
    SHOP = "shop", "Shop"


class Message(models.Model):
    """One message in a conversation; its shop is the conversation's, so the two cannot disagree."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=8, choices=MessageSender.choices)
    # The member who replied for the shop; the message stays when they later leave it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=4000)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(sender__in=MessageSender.values), name="message_sender_valid"),
        ]

    def __str__(self):
        return f"{self.get_sender_display()}: {self.body[:40]}"
