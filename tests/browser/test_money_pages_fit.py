"""The module and money pages at phone width (390 px): nothing scrolls sideways, no console error."""

from decimal import Decimal

import pytest

from tests.conftest import add_totp, totp_code
from tests.factories import (
    AffiliatePlanFactory,
    BillFactory,
    ConversationFactory,
    MessageFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
    ShopFactory,
    WithdrawalFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_detail_and_money_pages_fit_a_phone(page, live_server, password):
    shop = ShopFactory(name="Demo Shop", slug="demo-shop")
    add_totp(shop.owner)
    order = OrderFactory(shop=shop, status="shipped", buyer_name="A buyer with a rather long name indeed")
    bill = BillFactory(shop=shop, amount=Decimal("123456789.00"), reference="STATEMENT-REFERENCE-2026-0001")
    account = PayoutAccountFactory(shop=shop, bank_name="The First Demo Bank of Somewhere Far Away")
    WithdrawalFactory(payout_account=account, amount=Decimal("1234567.89"))
    plan = AffiliatePlanFactory(shop=shop)
    conversation = ConversationFactory(shop=shop)
    MessageFactory(conversation=conversation, body="x" * 300)
    ProductFactory(shop=shop)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(shop.owner.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(shop.owner))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/shops/")

    paths = [
        f"orders/{order.pk}/",
        f"finance/bills/{bill.pk}/",
        "finance/",
        "finance/payout-account/",
        "finance/payout-account/change/",
        "finance/withdrawals/",
        f"affiliate/{plan.pk}/",
        f"customer-service/{conversation.pk}/",
        "products/new/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}/shop/demo-shop/{path}")
        assert response.status == 200, path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(
            "() => [...document.querySelectorAll('main *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px: {wide}"
    assert errors == []
