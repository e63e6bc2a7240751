"""Module data keeps itself sound: per-shop uniqueness and sane amounts are enforced by the database."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from commerce import models as commerce
from commerce import sealing
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    BillFactory,
    CampaignFactory,
    ConversationFactory,
    MessageFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_sku_is_unique_within_a_shop_but_may_repeat_in_another(shop, other_shop):
    ProductFactory(shop=shop, sku="MUG-1")
    ProductFactory(shop=other_shop, sku="MUG-1")

    refused(lambda: ProductFactory(shop=shop, sku="MUG-1"))


def test_an_order_number_is_unique_within_a_shop(shop, other_shop):
    OrderFactory(shop=shop, number="A-1")
    OrderFactory(shop=other_shop, number="A-1")

    refused(lambda: OrderFactory(shop=shop, number="A-1"))


def test_negative_money_is_refused_by_the_database(shop):
    refused(lambda: ProductFactory(shop=shop, price=Decimal("-0.01")))
    refused(lambda: OrderFactory(shop=shop, total=Decimal("-1")))
    refused(lambda: BillFactory(shop=shop, amount=Decimal("-1"), fees=Decimal("-2")))
    refused(lambda: AdPlanFactory(shop=shop, daily_budget=Decimal("-5")))


def test_fees_cannot_exceed_the_bill_and_percentages_stay_within_100(shop):
    refused(lambda: BillFactory(shop=shop, amount=Decimal("10"), fees=Decimal("11")))
    refused(lambda: CampaignFactory(shop=shop, discount_percent=Decimal("101")))
    refused(lambda: AffiliatePlanFactory(shop=shop, commission_percent=Decimal("-1")))


def test_a_campaign_cannot_end_before_it_starts(shop):
    campaign = CampaignFactory.build(shop=shop)
    campaign.ends_on = campaign.starts_on.replace(year=campaign.starts_on.year - 1)
    refused(campaign.save)


def test_unknown_statuses_are_refused_by_the_database(shop):
    refused(lambda: ProductFactory(shop=shop, status="sold_out"))
    refused(lambda: OrderFactory(shop=shop, status="lost"))


def test_a_shop_has_one_active_payout_account_shown_by_its_last_four_digits(shop):
    account = PayoutAccountFactory(shop=shop, account_number="DE89370400440532013000", bank_name="Demo Bank")

    assert account.masked == "••••3000"
    assert str(account) == "Demo Bank ••••3000"
    refused(lambda: PayoutAccountFactory(shop=shop))
    PayoutAccountFactory(shop=shop, status="replaced")  # the history keeps any number of earlier ones


def test_the_full_account_number_is_in_no_column_in_clear(shop):
    account = PayoutAccountFactory(shop=shop, account_number="DE89370400440532013000")

    row = commerce.PayoutAccount.objects.filter(pk=account.pk).values().get()
    assert not any("0532013000" in str(value) for value in row.values())
    assert sealing.unseal(row["sealed_number"]) == "DE89370400440532013000"
    assert row["fingerprint"] == sealing.fingerprint("DEMOBANK01", "de89 3704 0044 0532 0130 00")


def test_click_through_rate_and_net_are_computed_in_decimal(shop):
    assert AdPlanFactory(shop=shop, impressions=3, clicks=1).click_through_rate == Decimal("33.33")
    assert AdPlanFactory(shop=shop, impressions=0, clicks=0).click_through_rate is None
    assert BillFactory(shop=shop, amount=Decimal("100.00"), fees=Decimal("3.50")).net == Decimal("96.50")


def test_every_module_model_reads_well_as_text(shop):
    rows = [
        ProductFactory(shop=shop, name="Teapot", sku="T-1"),
        OrderFactory(shop=shop, number="A-9"),
        BillFactory(shop=shop),
        PayoutAccountFactory(shop=shop),
        CampaignFactory(shop=shop, name="Spring sale"),
        AffiliatePlanFactory(shop=shop, name="Creators"),
        AdPlanFactory(shop=shop, name="Search ads"),
        ConversationFactory(shop=shop, subject="Late parcel", buyer_name="Ana"),
        MessageFactory(body="Where is it?"),
    ]
    texts = [str(row) for row in rows]
    assert texts[:2] == ["Teapot (T-1)", "Order A-9"]
    assert texts[4:8] == ["Spring sale", "Creators", "Search ads", "Late parcel (Ana)"]
    assert texts[8] == "Buyer: Where is it?"
    assert all(texts)


def test_every_module_model_belongs_to_a_shop_directly_or_through_its_parent():
    parents = {"conversation", "order", "plan"}
    tenant_models = list(apps.get_app_config("commerce").get_models())
    assert len(tenant_models) == 12
    for model in tenant_models:
        field_names = {f.name for f in model._meta.get_fields() if f.many_to_one}
        assert "shop" in field_names or field_names & parents, model
