"""Campaigns, affiliate plans with the creators contacted for them, and ad plans."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, FSMField, transition

from accounts.models import Shop
from commerce.models.common import MONEY, PERCENT, not_negative, percent, status_valid


class CampaignStatus(models.TextChoices):
    SCHEDULED = "scheduled", gettext_lazy("Scheduled")
    ACTIVE = "active", gettext_lazy("Active")
    ENDED = "ended", gettext_lazy("Ended")


class Campaign(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=120)
    discount_percent = models.DecimalField(**PERCENT)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = FSMField(max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.SCHEDULED)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="campaign_name_unique_per_shop"),
            percent("campaign", "discount_percent"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
            status_valid("campaign", CampaignStatus),
        ]

    def __str__(self):
        return self.name

    @transition(field=status, source=CampaignStatus.SCHEDULED, target=CampaignStatus.ACTIVE)
    def start(self):
        """Its first day came (the daily campaign run)."""

    @transition(
        field=status, source=[CampaignStatus.SCHEDULED, CampaignStatus.ACTIVE], target=CampaignStatus.ENDED
    )
    def end(self, *, today):
        """End it now, or when its last day passed; an ended campaign ends on the day it ended."""
        self.ends_on = max(min(self.ends_on, today), self.starts_on)

    @transition(
        field=status,
        source=[CampaignStatus.SCHEDULED, CampaignStatus.ACTIVE],
        target=RETURN_VALUE(CampaignStatus.SCHEDULED, CampaignStatus.ACTIVE),
    )
    def change(self, *, today):
        """Its terms changed (the caller set them): scheduled or running by its new dates. An ended
        campaign cannot change."""
        return CampaignStatus.ACTIVE if self.starts_on <= today else CampaignStatus.SCHEDULED


class PlanStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    PAUSED = "paused", gettext_lazy("Paused")
    ENDED = "ended", gettext_lazy("Ended")


class PlanTransitions:
    """Pausing, resuming and ending, shared by affiliate and ad plans."""

    @transition(field="status", source=PlanStatus.ACTIVE, target=PlanStatus.PAUSED)
    def pause(self):
        pass

    @transition(field="status", source=PlanStatus.PAUSED, target=PlanStatus.ACTIVE)
    def resume(self):
        pass

    @transition(field="status", source=[PlanStatus.ACTIVE, PlanStatus.PAUSED], target=PlanStatus.ENDED)
    def end(self):
        pass

    @transition(field="status", source=[PlanStatus.ACTIVE, PlanStatus.PAUSED], target=None)
    def change(self):
        """Its terms changed (the caller sets them); an ended plan cannot change."""


class AffiliatePlan(PlanTransitions, models.Model):
    """Commission paid to creators for the sales they bring, with the plan's results so far."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="affiliate_plans")
    name = models.CharField(max_length=120)
    commission_percent = models.DecimalField(**PERCENT)
    status = FSMField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    # Performance, as the platform's tracking reports it.
    clicks = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    sales = models.DecimalField(**MONEY, default=Decimal("0"))

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="affiliate_plan_name_unique_per_shop"),
            percent("affiliate_plan", "commission_percent"),
            status_valid("affiliate_plan", PlanStatus),
        ]

    def __str__(self):
        return self.name

    @property
    def commission_earned(self) -> Decimal:
        """Commission owed to creators on the sales so far, unrounded (format it in the currency)."""
        return self.sales * self.commission_percent / 100


class CreatorStatus(models.TextChoices):
    CONTACTED = "contacted", gettext_lazy("Contacted")
    JOINED = "joined", gettext_lazy("Joined")
    DECLINED = "declined", gettext_lazy("Declined")


class CreatorContact(models.Model):
    """A creator the shop contacted about an affiliate plan, and what they answered."""

    plan = models.ForeignKey(AffiliatePlan, on_delete=models.CASCADE, related_name="creators")
    handle = models.CharField(
        max_length=60, help_text=gettext_lazy("The creator's handle, e.g. @kitchen.tales")
    )
    channel = models.CharField(
        max_length=60, blank=True, help_text=gettext_lazy("Where they publish, e.g. video")
    )
    message = models.TextField(max_length=2000)
    status = models.CharField(max_length=16, choices=CreatorStatus.choices, default=CreatorStatus.CONTACTED)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "handle"], name="creator_contacted_once_per_plan"),
            status_valid("creator_contact", CreatorStatus),
        ]

    def __str__(self):
        return f"{self.handle} for {self.plan}"


class AdPlan(PlanTransitions, models.Model):
    """Paid placements with a daily budget, and what they brought so far."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="ad_plans")
    name = models.CharField(max_length=120)
    daily_budget = models.DecimalField(**MONEY)
    status = FSMField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    # Results, as the platform's ad server reports them.
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    spend = models.DecimalField(**MONEY, default=Decimal("0"))
    sales = models.DecimalField(**MONEY, default=Decimal("0"))

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="ad_plan_name_unique_per_shop"),
            not_negative("ad_plan", "daily_budget"),
            models.CheckConstraint(
                condition=Q(clicks__lte=F("impressions")), name="ad_plan_clicks_within_views"
            ),
            status_valid("ad_plan", PlanStatus),
        ]

    def __str__(self):
        return self.name

    @property
    def click_through_rate(self) -> Decimal | None:
        """Clicks per 100 impressions, or None before the first impression."""
        if not self.impressions:
            return None
        return (Decimal(self.clicks) * 100 / self.impressions).quantize(Decimal("0.01"))

    @property
    def return_on_ad_spend(self) -> Decimal | None:
        """Sales per unit of money spent, or None before any spend."""
        if not self.spend:
            return None
        return (self.sales / self.spend).quantize(Decimal("0.01"))
