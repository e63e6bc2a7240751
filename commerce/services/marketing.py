"""Campaigns (marketing.manage), affiliate plans and creators (affiliate.manage), ad plans
(advertising.manage): create, change, pause, resume and end."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce import money
from commerce.errors import StateConflict
from commerce.models import AdPlan, AffiliatePlan, Campaign, CampaignStatus, CreatorContact, PlanStatus
from commerce.services.common import collect, move, text

LONGEST_CAMPAIGN = timedelta(days=366)
ENDED = {
    "campaign": gettext_lazy("This campaign has ended: it cannot change. Create a new one instead."),
    "plan": gettext_lazy("This plan has ended: it cannot change. Create a new one instead."),
}


def _percent(value, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or not low <= value <= high:
        raise ValidationError(
            {field: [_("Enter a percentage from %(low)s to %(high)s.") % {"low": low, "high": high}]}
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("Use at most two decimal places.")]})
    return value


def _unique_name(model, shop, name: str, exclude_pk=None) -> str:
    if model.objects.filter(shop=shop, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": [_("This shop already has one with this name.")]}, code="unique")
    return name


def _saved(instance):
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({"name": [_("This shop already has one with this name.")]}) from None
    return instance


# Campaigns.


def _campaign_fields(shop, *, name, discount_percent, starts_on: date, ends_on: date, today: date, pk=None):
    def dates():
        if not isinstance(starts_on, date) or not isinstance(ends_on, date):
            raise ValidationError({"starts_on": [_("Enter both dates.")]})
        if pk is None and starts_on < today:
            raise ValidationError({"starts_on": [_("A new campaign cannot start in the past.")]})
        if ends_on < starts_on:
            raise ValidationError({"ends_on": [_("The campaign must end on or after the day it starts.")]})
        if ends_on < today:
            raise ValidationError({"ends_on": [_("The last day has passed: choose today or a later day.")]})
        if ends_on - starts_on > LONGEST_CAMPAIGN:
            raise ValidationError({"ends_on": [_("A campaign runs for a year at most.")]})
        return starts_on, ends_on

    cleaned = collect(
        ("name", lambda: _unique_name(Campaign, shop, text(name, field="name", max_length=120), pk)),
        (
            "discount_percent",
            lambda: _percent(discount_percent, "discount_percent", low=Decimal("1"), high=Decimal("90")),
        ),
        ("dates", dates),
    )
    cleaned["starts_on"], cleaned["ends_on"] = cleaned.pop("dates")
    return cleaned


def create_campaign(shop, *, name, discount_percent, starts_on, ends_on) -> Campaign:
    """A campaign starting today or later; active at once when it starts today."""
    today = timezone.localdate()
    cleaned = _campaign_fields(
        shop, name=name, discount_percent=discount_percent, starts_on=starts_on, ends_on=ends_on, today=today
    )
    status = CampaignStatus.ACTIVE if cleaned["starts_on"] <= today else CampaignStatus.SCHEDULED
    return _saved(Campaign(shop=shop, status=status, **cleaned))


@transaction.atomic
def change_campaign(campaign: Campaign, *, name, discount_percent, starts_on, ends_on) -> Campaign:
    """New terms for a campaign that has not ended; StateConflict "campaign_ended" otherwise."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    today = timezone.localdate()
    if campaign.status == CampaignStatus.ENDED:
        raise StateConflict(ENDED["campaign"], code="campaign_ended")
    cleaned = _campaign_fields(
        campaign.shop,
        name=name,
        discount_percent=discount_percent,
        starts_on=starts_on,
        ends_on=ends_on,
        today=today,
        pk=campaign.pk,
    )
    for field, value in cleaned.items():
        setattr(campaign, field, value)
    move(campaign, "change", code="campaign_ended", message=ENDED["campaign"], today=today)
    return _saved(campaign)


@transaction.atomic
def end_campaign(campaign: Campaign) -> Campaign:
    """End a scheduled or running campaign today; StateConflict "campaign_ended" if it already ended."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    move(
        campaign,
        "end",
        code="campaign_ended",
        message=_("This campaign has already ended."),
        today=timezone.localdate(),
    )
    campaign.save()
    return campaign


def advance_campaigns(today: date) -> tuple[int, int]:
    """Start campaigns whose first day came and end those whose last day passed: (started, ended)."""
    started = ended = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.SCHEDULED, starts_on__lte=today):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            if campaign.status == CampaignStatus.SCHEDULED:
                campaign.start()
                campaign.save(update_fields=["status"])
                started += 1
    for campaign in Campaign.objects.exclude(status=CampaignStatus.ENDED).filter(ends_on__lt=today):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            if campaign.status != CampaignStatus.ENDED:
                campaign.end(today=campaign.ends_on)
                campaign.save(update_fields=["status", "ends_on"])
                ended += 1
    return started, ended


# Affiliate plans and creators.


def _plan_fields(model, shop, *, name, pk=None, **checks):
    return collect(
        ("name", lambda: _unique_name(model, shop, text(name, field="name", max_length=120), pk)),
        *checks.items(),
    )


def create_affiliate_plan(shop, *, name, commission_percent) -> AffiliatePlan:
    cleaned = _plan_fields(
        AffiliatePlan,
        shop,
        name=name,
        commission_percent=lambda: _percent(
            commission_percent, "commission_percent", low=Decimal("1"), high=Decimal("50")
        ),
    )
    return _saved(AffiliatePlan(shop=shop, **cleaned))


@transaction.atomic
def change_affiliate_plan(plan: AffiliatePlan, *, name, commission_percent) -> AffiliatePlan:
    plan = AffiliatePlan.objects.select_for_update().get(pk=plan.pk)
    move(plan, "change", code="plan_ended", message=ENDED["plan"])
    cleaned = _plan_fields(
        AffiliatePlan,
        plan.shop,
        name=name,
        pk=plan.pk,
        commission_percent=lambda: _percent(
            commission_percent, "commission_percent", low=Decimal("1"), high=Decimal("50")
        ),
    )
    for field, value in cleaned.items():
        setattr(plan, field, value)
    return _saved(plan)


def contact_creator(plan: AffiliatePlan, *, handle, channel, message, by) -> CreatorContact:
    """Record that the shop contacted a creator about the plan (once per creator and plan)."""
    if plan.status == PlanStatus.ENDED:
        raise StateConflict(
            _("This plan has ended: contact creators about an active plan."), code="plan_ended"
        )
    cleaned = collect(
        ("handle", lambda: _handle(plan, handle)),
        ("channel", lambda: text(channel, field="channel", max_length=60, required=False)),
        ("message", lambda: text(message, field="message", max_length=2000, multiline=True)),
    )
    try:
        with transaction.atomic():
            return CreatorContact.objects.create(plan=plan, contacted_by=by, **cleaned)
    except IntegrityError:
        raise ValidationError(
            {"handle": [_("This creator was already contacted about this plan.")]}
        ) from None


def _handle(plan, handle) -> str:
    handle = text(handle, field="handle", max_length=60)
    if " " in handle:
        raise ValidationError({"handle": [_("A handle has no spaces, e.g. @kitchen.tales")]})
    if CreatorContact.objects.filter(plan=plan, handle__iexact=handle).exists():
        raise ValidationError({"handle": [_("This creator was already contacted about this plan.")]})
    return handle


# Ad plans.


def _budget(shop, value) -> Decimal:
    return money.check_amount(value, shop.currency, field="daily_budget")


def create_ad_plan(shop, *, name, daily_budget) -> AdPlan:
    cleaned = _plan_fields(AdPlan, shop, name=name, daily_budget=lambda: _budget(shop, daily_budget))
    return _saved(AdPlan(shop=shop, **cleaned))


@transaction.atomic
def change_ad_plan(plan: AdPlan, *, name, daily_budget) -> AdPlan:
    plan = AdPlan.objects.select_for_update().get(pk=plan.pk)
    move(plan, "change", code="plan_ended", message=ENDED["plan"])
    cleaned = _plan_fields(
        AdPlan, plan.shop, name=name, pk=plan.pk, daily_budget=lambda: _budget(plan.shop, daily_budget)
    )
    for field, value in cleaned.items():
        setattr(plan, field, value)
    return _saved(plan)


# Pausing, resuming and ending either kind of plan.

PLAN_MOVES = {
    "pause": ("plan_not_active", gettext_lazy("This plan is %(status)s: only an active plan can be paused.")),
    "resume": (
        "plan_not_paused",
        gettext_lazy("This plan is %(status)s: only a paused plan can be resumed."),
    ),
    "end": ("plan_ended", gettext_lazy("This plan has already ended.")),
}


@transaction.atomic
def move_plan(plan, transition: str):
    """Pause, resume or end an affiliate or ad plan; StateConflict with the move's code otherwise."""
    code, message = PLAN_MOVES[transition]
    plan = type(plan).objects.select_for_update().get(pk=plan.pk)
    move(plan, transition, code=code, message=message)
    plan.save(update_fields=["status"])
    return plan
