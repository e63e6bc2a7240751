"""Every page and API read of the modules, for every role: 200 with the grant it needs (from the
registry), 403 without; lists are paginated and every object has an id; another shop's id is 404."""

import pytest

from permissions.registry import ACTIONS, OWNER, ROLES, Grant
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    BillFactory,
    ConversationFactory,
    MessageFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def _conversation(shop):
    conversation = ConversationFactory(shop=shop)
    MessageFactory(conversation=conversation)
    return conversation


# path under /shop/<slug>/ or /api/v1/shops/<slug>/ → (grant, make an object or None)
PAGES = {
    "orders/{pk}/": (Grant.ORDERS_VIEW, lambda shop: OrderFactory(shop=shop)),
    "finance/bills/{pk}/": (Grant.FINANCE_VIEW, lambda shop: BillFactory(shop=shop)),
    "finance/payout-account/": (ACTIONS["finance.payout_account.change"].grant, None),
    "finance/withdrawals/": (ACTIONS["finance.withdraw"].grant, None),
    "affiliate/{pk}/": (Grant.AFFILIATE_VIEW, lambda shop: AffiliatePlanFactory(shop=shop)),
    "customer-service/{pk}/": (Grant.CUSTOMER_SERVICE_VIEW, _conversation),
    "products/new/": (ACTIONS["products.create"].grant, None),
    "products/{pk}/edit/": (ACTIONS["products.edit"].grant, lambda shop: ProductFactory(shop=shop)),
    "marketing/new/": (ACTIONS["marketing.create"].grant, None),
    "affiliate/new/": (ACTIONS["affiliate.create"].grant, None),
    "advertising/new/": (ACTIONS["advertising.create"].grant, None),
    "advertising/{pk}/edit/": (ACTIONS["advertising.change"].grant, lambda shop: AdPlanFactory(shop=shop)),
    "customer-service/new/": (ACTIONS["customer_service.open"].grant, None),
}
API = {
    "products": (Grant.PRODUCTS_VIEW, lambda shop: ProductFactory(shop=shop), True),
    "products/{pk}": (Grant.PRODUCTS_VIEW, lambda shop: ProductFactory(shop=shop), False),
    "orders": (Grant.ORDERS_VIEW, lambda shop: OrderFactory(shop=shop), True),
    "orders/{pk}": (Grant.ORDERS_VIEW, lambda shop: OrderFactory(shop=shop), False),
    "finance/bills": (Grant.FINANCE_VIEW, lambda shop: BillFactory(shop=shop), True),
    "finance/bills/{pk}": (Grant.FINANCE_VIEW, lambda shop: BillFactory(shop=shop), False),
    "finance/balance": (Grant.FINANCE_VIEW, None, False),
    "finance/payout-account": (Grant.STORE_SENSITIVE, lambda shop: PayoutAccountFactory(shop=shop), False),
    "finance/payout-account/history": (
        Grant.STORE_SENSITIVE,
        lambda shop: PayoutAccountFactory(shop=shop, status="replaced"),
        True,
    ),
    "finance/withdrawals": (Grant.STORE_SENSITIVE, None, True),
    "marketing/campaigns": (Grant.MARKETING_VIEW, None, True),
    "affiliate/plans": (Grant.AFFILIATE_VIEW, lambda shop: AffiliatePlanFactory(shop=shop), True),
    "affiliate/plans/{pk}": (Grant.AFFILIATE_VIEW, lambda shop: AffiliatePlanFactory(shop=shop), False),
    "affiliate/plans/{pk}/creators": (
        Grant.AFFILIATE_VIEW,
        lambda shop: AffiliatePlanFactory(shop=shop),
        True,
    ),
    "advertising/plans": (Grant.ADVERTISING_VIEW, lambda shop: AdPlanFactory(shop=shop), True),
    "advertising/plans/{pk}": (Grant.ADVERTISING_VIEW, lambda shop: AdPlanFactory(shop=shop), False),
    "customer-service/conversations": (Grant.CUSTOMER_SERVICE_VIEW, _conversation, True),
    "customer-service/conversations/{pk}": (Grant.CUSTOMER_SERVICE_VIEW, _conversation, False),
    "customer-service/conversations/{pk}/messages": (Grant.CUSTOMER_SERVICE_VIEW, _conversation, True),
}


@pytest.fixture
def person(shop, member_with):
    return lambda role: shop.owner if role == OWNER else member_with(role)


@pytest.mark.parametrize("role", ROLES)
def test_each_page_opens_with_its_grant_and_refuses_without(role, shop, person, signed_in):
    client = signed_in(person(role))
    for path, (grant, make) in PAGES.items():
        pk = make(shop).pk if make else None
        response = client.get(f"/shop/{shop.slug}/" + path.format(pk=pk))
        expected = 200 if grant in ROLES[role].grants else 403
        assert response.status_code == expected, (path, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_each_api_read_answers_with_its_grant_and_refuses_without(role, shop, person, signed_in):
    client = signed_in(person(role))
    for path, (grant, make, is_list) in API.items():
        pk = make(shop).pk if make else None
        response = client.get(f"/api/v1/shops/{shop.slug}/" + path.format(pk=pk))
        if grant not in ROLES[role].grants:
            assert response.status_code == 403, path
            continue
        assert response.status_code == 200, (path, response.content[:300])
        body = response.json()
        if is_list:
            assert set(body) == {"count", "next", "previous", "results"}, path
            assert all("id" in row for row in body["results"]), path
        elif "{pk}" in path or "payout" in path:
            assert body["id"], path


def test_another_shops_ids_are_not_found_in_pages_and_the_api(shop, other_shop, signed_in):
    client = signed_in(shop.owner)
    for path, (_grant, make) in PAGES.items():
        if make:
            assert (
                client.get(f"/shop/{shop.slug}/" + path.format(pk=make(other_shop).pk)).status_code == 404
            ), path
    for path, (_grant, make, _is_list) in API.items():
        if make and "{pk}" in path:
            response = client.get(f"/api/v1/shops/{shop.slug}/" + path.format(pk=make(other_shop).pk))
            assert response.status_code == 404, path
