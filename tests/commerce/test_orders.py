"""Orders: arrange delivery, cancel an unshipped order, partial and full refunds applied once; illegal
changes answer 409 with a stable code and change nothing."""

from decimal import Decimal

import pytest

from audit.events import EventKind
from audit.models import SecurityEvent
from commerce.models import Order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(shop, signed_in):
    client = signed_in(shop.owner)

    def post(path, data=None, **headers):
        return client.post(
            f"/api/v1/shops/{shop.slug}/{path}", data or {}, content_type="application/json", **headers
        )

    client.post_json = post
    return client


def snapshot(order):
    return Order.objects.filter(pk=order.pk).values().get()


@pytest.mark.parametrize(
    ("status", "action", "data", "code"),
    [
        ("shipped", "ship", {"carrier": "dhl", "tracking_number": "JD0146000062"}, "order_not_shippable"),
        ("cancelled", "ship", {"carrier": "dhl", "tracking_number": "JD0146000062"}, "order_not_shippable"),
        ("refunded", "ship", {"carrier": "dhl", "tracking_number": "JD0146000062"}, "order_not_shippable"),
        ("shipped", "cancel", {"reason": "Changed mind"}, "order_not_cancellable"),
        ("cancelled", "cancel", {"reason": "Again"}, "order_not_cancellable"),
        (
            "pending",
            "refund",
            {"amount": "1.00", "reason": "damaged", "idempotency_key": "k" * 12},
            "order_not_refundable",
        ),
        (
            "cancelled",
            "refund",
            {"amount": "1.00", "reason": "damaged", "idempotency_key": "k" * 12},
            "order_not_refundable",
        ),
        (
            "refunded",
            "refund",
            {"amount": "1.00", "reason": "damaged", "idempotency_key": "k" * 12},
            "order_not_refundable",
        ),
    ],
)
def test_illegal_order_changes_are_409_with_a_stable_code_and_change_nothing(
    shop, api, status, action, data, code
):
    order = OrderFactory(
        shop=shop, status=status, refunded_total=Decimal("42.50") if status == "refunded" else 0
    )
    before = snapshot(order)

    response = api.post_json(f"orders/{order.pk}/{action}", data)

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert snapshot(order) == before
    page = api.post(f"/shop/{shop.slug}/orders/{order.pk}/{action}/", {**data, "key": "p" * 12})
    assert page.status_code == 409 and "Nothing was changed" in page.content.decode()
    assert snapshot(order) == before


def test_shipping_records_the_carrier_and_tracking_number(shop, api):
    order = OrderFactory(shop=shop)

    response = api.post_json(
        f"orders/{order.pk}/ship", {"carrier": "fedex", "tracking_number": "7489 1234 5678"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "shipped" and response.json()["tracking_number"] == "748912345678"
    assert response.json()["shipped_at"].endswith("Z")


def test_partial_refunds_add_up_to_the_total_and_no_further(shop, api):
    order = OrderFactory(shop=shop, status="delivered", total=Decimal("42.50"))

    first = api.post_json(
        f"orders/{order.pk}/refund", {"amount": "12.50", "reason": "damaged", "idempotency_key": "refund-one"}
    )
    too_much = api.post_json(
        f"orders/{order.pk}/refund",
        {"amount": "30.01", "reason": "returned", "idempotency_key": "refund-two"},
    )
    rest = api.post_json(
        f"orders/{order.pk}/refund",
        {"amount": "30.00", "reason": "returned", "idempotency_key": "refund-three"},
    )
    after = api.post_json(
        f"orders/{order.pk}/refund",
        {"amount": "0.01", "reason": "returned", "idempotency_key": "refund-four"},
    )

    assert first.status_code == 201 and first.json()["amount"] == "12.50"
    assert too_much.status_code == 409 and too_much.json()["code"] == "refund_exceeds_remaining"
    assert "USD\xa030.00" in too_much.json()["detail"]
    assert rest.status_code == 201
    assert after.status_code == 409 and after.json()["code"] == "order_not_refundable"
    order.refresh_from_db()
    assert order.status == "refunded" and order.refunded_total == Decimal("42.50")
    assert SecurityEvent.objects.filter(kind=EventKind.ORDER_REFUNDED, shop=shop).count() == 2


def test_the_same_refund_request_is_applied_once(shop, api):
    order = OrderFactory(shop=shop, status="shipped", total=Decimal("42.50"))
    body = {"amount": "10.00", "reason": "damaged", "idempotency_key": "same-request-1"}

    first = api.post_json(f"orders/{order.pk}/refund", body)
    again = api.post_json(f"orders/{order.pk}/refund", body)
    by_header = api.post_json(
        f"orders/{order.pk}/refund",
        {"amount": "10.00", "reason": "damaged"},
        HTTP_IDEMPOTENCY_KEY="same-request-1",
    )
    other_amount = api.post_json(f"orders/{order.pk}/refund", {**body, "amount": "11.00"})

    assert (first.status_code, again.status_code, by_header.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == by_header.json()["id"]
    assert other_amount.status_code == 409 and other_amount.json()["code"] == "refund_key_reused"
    order.refresh_from_db()
    assert order.refunded_total == Decimal("10.00") and order.status == "partially_refunded"


def test_the_refund_form_submitted_twice_refunds_once(shop, api):
    order = OrderFactory(shop=shop, status="shipped")
    page = api.get(f"/shop/{shop.slug}/orders/{order.pk}/").content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    form = {"amount": "5.00", "reason": "returned", "key": key}

    api.post(f"/shop/{shop.slug}/orders/{order.pk}/refund/", form)
    second = api.post(f"/shop/{shop.slug}/orders/{order.pk}/refund/", form, follow=True)

    assert "already made" in second.content.decode()
    order.refresh_from_db()
    assert order.refunded_total == Decimal("5.00")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"amount": "-1", "reason": "damaged", "idempotency_key": "k" * 10},
        {"amount": "1.001", "reason": "damaged", "idempotency_key": "k" * 10},
        {"amount": "1", "reason": "because", "idempotency_key": "k" * 10},
        {"amount": "1", "reason": "damaged", "idempotency_key": "short"},
        {"amount": "1", "reason": "damaged", "idempotency_key": "k" * 10, "note": "x" * 600},
        {"amount": {"$gt": 0}, "reason": "damaged"},
    ],
)
def test_bad_refunds_are_400_with_the_field_named(shop, api, body):
    order = OrderFactory(shop=shop, status="shipped")
    response = api.post_json(f"orders/{order.pk}/refund", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["errors"]
    assert "key" not in response.json()["errors"]  # the API's field is idempotency_key
    order.refresh_from_db()
    assert order.refunded_total == 0


@pytest.mark.parametrize("tracking", ["", "AB", "x" * 41, "<script>", "JD 01\x00"])
def test_bad_tracking_numbers_are_400(shop, api, tracking):
    order = OrderFactory(shop=shop)
    response = api.post_json(f"orders/{order.pk}/ship", {"carrier": "dhl", "tracking_number": tracking})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "pending"
