"""Products (price at the currency's precision, unique SKU), campaigns (dates checked), affiliate and
ad plans, conversations: what each accepts, what it refuses, and the 409s of illegal changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commerce.models import Message
from commerce.services.marketing import advance_campaigns
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    CampaignFactory,
    ConversationFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(shop, signed_in):
    client = signed_in(shop.owner)

    def send(method, path, data=None):
        return getattr(client, method)(
            f"/api/v1/shops/{shop.slug}/{path}", data or {}, content_type="application/json"
        )

    client.send = send
    return client


PRODUCT = {"name": "Teapot", "sku": "tea-01", "price": "19.90", "stock": 4}


def test_a_product_is_created_with_its_sku_upper_cased_and_its_price_in_the_shops_currency(api):
    response = api.send("post", "products", PRODUCT)

    assert response.status_code == 201
    assert response.json() | {"id": 0, "created": "", "updated": ""} == {
        **PRODUCT,
        "sku": "TEA-01",
        "currency": "USD",
        "status": "active",
        "id": 0,
        "created": "",
        "updated": "",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "-1"}, "price"),
        ({"price": "19.999"}, "price"),
        ({"price": "abc"}, "price"),
        ({"stock": -1}, "stock"),
        ({"stock": "many"}, "stock"),
        ({"sku": "has space"}, "sku"),
        ({"sku": ""}, "sku"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_products_are_400_naming_the_field(api, shop, change, field):
    response = api.send("post", "products", {**PRODUCT, **change})

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not shop.products.exists()


def test_a_sku_is_unique_in_the_shop_whatever_its_case(api, shop, other_shop):
    ProductFactory(shop=shop, sku="TEA-01")
    ProductFactory(shop=other_shop, sku="TEA-02")

    taken = api.send("post", "products", PRODUCT)
    elsewhere = api.send("post", "products", {**PRODUCT, "sku": "tea-02"})

    assert taken.status_code == 400 and "sku" in taken.json()["errors"]
    assert elsewhere.status_code == 201


@pytest.mark.parametrize(("currency", "good", "bad"), [("JPY", "1990", "19.90"), ("KWD", "1.125", "1.1255")])
def test_prices_follow_the_minor_units_of_the_shops_currency(api, shop, currency, good, bad):
    shop.currency = currency
    shop.save()

    accepted = api.send("post", "products", {**PRODUCT, "price": good})
    refused = api.send("post", "products", {**PRODUCT, "sku": "OTHER", "price": bad})

    assert accepted.status_code == 201 and accepted.json()["price"] == good
    assert accepted.json()["currency"] == currency
    assert refused.status_code == 400 and "price" in refused.json()["errors"]
    page = api.get(f"/shop/{shop.slug}/products/").content.decode()
    assert f"{currency}\xa0" in page


def test_activating_an_active_product_is_409_and_delisting_twice_too(api, shop):
    product = ProductFactory(shop=shop)

    assert api.send("post", f"products/{product.pk}/activate").json()["code"] == "product_already_active"
    assert api.send("post", f"products/{product.pk}/delist").json()["status"] == "delisted"
    again = api.send("post", f"products/{product.pk}/delist")
    assert again.status_code == 409 and again.json()["code"] == "product_already_delisted"


def test_editing_a_product_keeps_the_fields_left_out(api, shop):
    product = ProductFactory(shop=shop, name="Mug", price=Decimal("9.90"))

    response = api.send("patch", f"products/{product.pk}", {"stock": 40})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["price"], response.json()["stock"]) == (
        "Mug",
        "9.90",
        40,
    )


def _dates(start, end):
    today = timezone.localdate()
    return {"starts_on": str(today + timedelta(days=start)), "ends_on": str(today + timedelta(days=end))}


@pytest.mark.parametrize(
    ("dates", "field"),
    [((-1, 5), "starts_on"), ((5, 4), "ends_on"), ((1, 400), "ends_on")],
)
def test_campaign_dates_are_checked(api, dates, field):
    response = api.send(
        "post", "marketing/campaigns", {"name": "Sale", "discount_percent": "10", **_dates(*dates)}
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_campaign_starting_today_is_active_and_ending_it_twice_is_409(api):
    created = api.send(
        "post", "marketing/campaigns", {"name": "Sale", "discount_percent": "10", **_dates(0, 3)}
    )
    assert created.json()["status"] == "active"
    pk = created.json()["id"]

    ended = api.send("post", f"marketing/campaigns/{pk}/end")
    again = api.send("post", f"marketing/campaigns/{pk}/end")
    change = api.send("patch", f"marketing/campaigns/{pk}", {"discount_percent": "20"})

    assert ended.json()["status"] == "ended" and ended.json()["ends_on"] == str(timezone.localdate())
    assert again.status_code == 409 and again.json()["code"] == "campaign_ended"
    assert change.status_code == 409 and change.json()["code"] == "campaign_ended"


def test_the_daily_run_starts_and_ends_campaigns_by_their_dates(shop):
    today = timezone.localdate()
    starting = CampaignFactory(shop=shop, starts_on=today, ends_on=today + timedelta(days=3))
    over = CampaignFactory(
        shop=shop, status="active", starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1)
    )

    assert advance_campaigns(today) == (1, 1)
    assert advance_campaigns(today) == (0, 0)
    starting.refresh_from_db()
    over.refresh_from_db()
    assert (starting.status, over.status) == ("active", "ended")


def test_plans_pause_resume_and_end_and_an_ended_plan_cannot_change(api, shop):
    plan = AdPlanFactory(shop=shop)
    path = f"advertising/plans/{plan.pk}"

    assert api.send("post", f"{path}/resume").json()["code"] == "plan_not_paused"
    assert api.send("post", f"{path}/pause").json()["status"] == "paused"
    assert api.send("post", f"{path}/end").json()["status"] == "ended"
    changed = api.send("patch", path, {"daily_budget": "50"})
    assert changed.status_code == 409 and changed.json()["code"] == "plan_ended"


@pytest.mark.parametrize(
    "factory,area", [(AdPlanFactory, "advertising"), (AffiliatePlanFactory, "affiliate")]
)
def test_a_plan_moved_through_the_api_answers_what_get_answers(api, shop, factory, area):
    plan = factory(shop=shop)
    path = f"{area}/plans/{plan.pk}"
    for move, status in (("pause", "paused"), ("resume", "active"), ("end", "ended")):
        moved = api.send("post", f"{path}/{move}")
        assert moved.status_code == 200, moved.content[:300]
        assert moved.json()["status"] == status
        assert moved.json() == api.send("get", path).json()


def test_affiliate_plans_show_performance_and_the_creators_contacted(api, shop):
    plan = AffiliatePlanFactory(shop=shop, commission_percent=Decimal("8"), sales=Decimal("480.00"))

    contacted = api.send(
        "post", f"affiliate/plans/{plan.pk}/creators", {"handle": "@tea.time", "message": "Hi!"}
    )
    twice = api.send("post", f"affiliate/plans/{plan.pk}/creators", {"handle": "@TEA.TIME", "message": "Hi!"})
    figures = api.send("get", f"affiliate/plans/{plan.pk}").json()

    assert contacted.status_code == 201 and twice.status_code == 400
    assert figures["commission_earned"] == "38.40" and figures["creators_contacted"] == 1
    page = api.get(f"/shop/{shop.slug}/affiliate/{plan.pk}/").content.decode()
    assert "@tea.time" in page and "USD\xa038.40" in page


def test_a_reply_is_stored_and_shown_and_a_closed_conversation_refuses_replies(api, shop):
    conversation = ConversationFactory(shop=shop)

    replied = api.send(
        "post", f"customer-service/conversations/{conversation.pk}/messages", {"body": "On its way!"}
    )
    api.send("post", f"customer-service/conversations/{conversation.pk}/close")
    refused = api.send(
        "post", f"customer-service/conversations/{conversation.pk}/messages", {"body": "Hello?"}
    )

    assert replied.status_code == 201 and replied.json()["sender"] == "shop"
    assert refused.status_code == 409 and refused.json()["code"] == "conversation_closed"
    assert list(Message.objects.filter(conversation=conversation).values_list("body", flat=True)) == [
        "On its way!"
    ]
    assert "On its way!" in api.get(f"/shop/{shop.slug}/customer-service/{conversation.pk}/").content.decode()


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001, "nul\x00byte"])
def test_bad_replies_are_400(api, shop, body):
    conversation = ConversationFactory(shop=shop)
    response = api.send("post", f"customer-service/conversations/{conversation.pk}/messages", {"body": body})
    assert response.status_code == 400
