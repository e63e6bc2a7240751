"""Every registry action of every module, for every role, in the browser pages and in the API:
done with the grant, 403 without it, 404 for another shop's object. Generated from the registry:
an action added to it fails here until it has a case."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from permissions.registry import ACTIONS, MODULES, OWNER, ROLES
from tests.conftest import add_totp
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    BillFactory,
    CampaignFactory,
    ConversationFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def _future_campaign(shop):
    today = timezone.localdate()
    return CampaignFactory(shop=shop, starts_on=today + timedelta(days=5), ends_on=today + timedelta(days=20))


def _campaign_form(n):
    today = timezone.localdate()
    return {
        "name": f"Autumn sale {n}",
        "discount_percent": "10",
        "starts_on": str(today + timedelta(days=1)),
        "ends_on": str(today + timedelta(days=9)),
    }


def _payout(n, code):
    return {
        "holder_name": "Demo Holder",
        "bank_name": "New Bank",
        "account_number": f"NL91ABNA04171643{n:02d}",
        "routing_code": "ABNANL2A",
        "code": code,
    }


@dataclass
class Case:
    """How to do one action: `make(shop)` gives the object (or None), page and API requests as
    (method, path under the shop, data) with {pk}; `data` may be a function of (n, person)."""

    page: tuple
    api: tuple
    api_status: int = 200
    make: object = None
    page_status: int = 302
    funded: bool = False
    extra: dict = field(default_factory=dict)


def _codes(person, n):
    return person.recovery_codes[n] if hasattr(person, "recovery_codes") else "000000"


CASES = {
    "products.create": Case(
        page=(
            "post",
            "products/new/",
            lambda n, p: {"name": "Mug", "sku": f"MUG-P{n}", "price": "9.90", "stock": "3"},
        ),
        api=(
            "post",
            "products",
            lambda n, p: {"name": "Mug", "sku": f"MUG-A{n}", "price": "9.90", "stock": 3},
        ),
        api_status=201,
    ),
    "products.edit": Case(
        make=lambda shop: ProductFactory(shop=shop),
        page=(
            "post",
            "products/{pk}/edit/",
            lambda n, p: {"name": "Renamed", "sku": f"REN-{n}", "price": "12.00", "stock": "1"},
        ),
        api=("patch", "products/{pk}", lambda n, p: {"name": "Renamed"}),
    ),
    "products.activate": Case(
        make=lambda shop: ProductFactory(shop=shop, status="delisted"),
        page=("post", "products/{pk}/activate/", None),
        api=("post", "products/{pk}/activate", None),
    ),
    "products.delist": Case(
        make=lambda shop: ProductFactory(shop=shop),
        page=("post", "products/{pk}/delist/", None),
        api=("post", "products/{pk}/delist", None),
    ),
    "orders.ship": Case(
        make=lambda shop: OrderFactory(shop=shop),
        page=(
            "post",
            "orders/{pk}/ship/",
            lambda n, p: {"carrier": "dhl", "tracking_number": "JD014600006281"},
        ),
        api=(
            "post",
            "orders/{pk}/ship",
            lambda n, p: {"carrier": "ups", "tracking_number": "1Z999AA10123456784"},
        ),
    ),
    "orders.cancel": Case(
        make=lambda shop: OrderFactory(shop=shop),
        page=("post", "orders/{pk}/cancel/", lambda n, p: {"reason": "Out of stock"}),
        api=("post", "orders/{pk}/cancel", lambda n, p: {"reason": "Out of stock"}),
    ),
    "orders.refund": Case(
        make=lambda shop: OrderFactory(shop=shop, status="shipped"),
        page=(
            "post",
            "orders/{pk}/refund/",
            lambda n, p: {"amount": "5.00", "reason": "damaged", "key": f"page-key-{n}"},
        ),
        api=(
            "post",
            "orders/{pk}/refund",
            lambda n, p: {"amount": "5.00", "reason": "damaged", "idempotency_key": f"api-key-{n}"},
        ),
        api_status=201,
    ),
    "finance.export": Case(
        page=("get", "finance/bills/export.csv", None),
        api=("get", "finance/bills/export", None),
        page_status=200,
    ),
    "finance.payout_account.change": Case(
        page=("post", "finance/payout-account/confirm/", lambda n, p: _payout(1, _codes(p, 0))),
        api=("put", "finance/payout-account", lambda n, p: _payout(2, _codes(p, 1))),
        funded=True,
    ),
    "finance.withdraw": Case(
        page=("post", "finance/withdrawals/", lambda n, p: {"amount": "10.00", "code": _codes(p, 0)}),
        api=("post", "finance/withdrawals", lambda n, p: {"amount": "10.00", "code": _codes(p, 1)}),
        api_status=201,
        funded=True,
    ),
    "marketing.create": Case(
        page=("post", "marketing/new/", lambda n, p: _campaign_form(f"p{n}")),
        api=("post", "marketing/campaigns", lambda n, p: _campaign_form(f"a{n}")),
        api_status=201,
    ),
    "marketing.change": Case(
        make=_future_campaign,
        page=("post", "marketing/{pk}/edit/", lambda n, p: _campaign_form(f"c{n}")),
        api=("patch", "marketing/campaigns/{pk}", lambda n, p: {"discount_percent": "15"}),
    ),
    "marketing.end": Case(
        make=_future_campaign,
        page=("post", "marketing/{pk}/end/", None),
        api=("post", "marketing/campaigns/{pk}/end", None),
    ),
    "affiliate.create": Case(
        page=("post", "affiliate/new/", lambda n, p: {"name": f"Creators P{n}", "commission_percent": "8"}),
        api=("post", "affiliate/plans", lambda n, p: {"name": f"Creators A{n}", "commission_percent": "8"}),
        api_status=201,
    ),
    "affiliate.change": Case(
        make=lambda shop: AffiliatePlanFactory(shop=shop),
        page=(
            "post",
            "affiliate/{pk}/edit/",
            lambda n, p: {"name": f"Renamed {n}", "commission_percent": "9"},
        ),
        api=("patch", "affiliate/plans/{pk}", lambda n, p: {"commission_percent": "10"}),
    ),
    "affiliate.contact": Case(
        make=lambda shop: AffiliatePlanFactory(shop=shop),
        page=("post", "affiliate/{pk}/contact/", lambda n, p: {"handle": "@tea.time", "message": "Hello!"}),
        api=(
            "post",
            "affiliate/plans/{pk}/creators",
            lambda n, p: {"handle": "@brew.lab", "message": "Hello!"},
        ),
        api_status=201,
    ),
    "advertising.create": Case(
        page=("post", "advertising/new/", lambda n, p: {"name": f"Search P{n}", "daily_budget": "20.00"}),
        api=("post", "advertising/plans", lambda n, p: {"name": f"Search A{n}", "daily_budget": "20.00"}),
        api_status=201,
    ),
    "advertising.change": Case(
        make=lambda shop: AdPlanFactory(shop=shop),
        page=("post", "advertising/{pk}/edit/", lambda n, p: {"name": f"Renamed {n}", "daily_budget": "30"}),
        api=("patch", "advertising/plans/{pk}", lambda n, p: {"daily_budget": "35.50"}),
    ),
    "customer_service.open": Case(
        page=(
            "post",
            "customer-service/new/",
            lambda n, p: {"buyer_name": "Ana", "subject": "Hi", "body": "Hello"},
        ),
        api=(
            "post",
            "customer-service/conversations",
            lambda n, p: {"buyer_name": "Ben", "subject": "Hi", "body": "Hello"},
        ),
        api_status=201,
    ),
    "customer_service.reply": Case(
        make=lambda shop: ConversationFactory(shop=shop),
        page=("post", "customer-service/{pk}/reply/", lambda n, p: {"body": "On its way!"}),
        api=("post", "customer-service/conversations/{pk}/messages", lambda n, p: {"body": "On its way!"}),
        api_status=201,
    ),
    "customer_service.close": Case(
        make=lambda shop: ConversationFactory(shop=shop),
        page=("post", "customer-service/{pk}/close/", None),
        api=("post", "customer-service/conversations/{pk}/close", None),
    ),
}

MODULE_ACTIONS = sorted(action.key for module in MODULES for action in module.actions)
PAIRS = [(key, role) for key in MODULE_ACTIONS for role in ROLES]


def test_every_module_action_of_the_registry_has_a_case():
    assert set(CASES) == set(MODULE_ACTIONS)


def _fund(shop):
    BillFactory(shop=shop, amount=Decimal("1000.00"), fees=Decimal("35.00"))
    PayoutAccountFactory(shop=shop)


@pytest.fixture
def person(shop, member_with):
    """person(role) → someone holding exactly that role in `shop` (the owner with the app)."""

    def make(role):
        return add_totp(shop.owner) if role == OWNER else member_with(role)

    return make


@pytest.fixture
def sign_in(client, password, settings):
    def sign(user):
        from tests.conftest import totp_code

        response = client.post("/login/", {"email": user.email, "password": password})
        assert response.status_code == 302
        if response["Location"].startswith("/login/verify/"):
            assert client.post("/login/verify/", {"code": totp_code(user)}).status_code == 302
        return client

    return sign


def _send(client, method, path, data, *, api):
    data = data or {}
    if api:
        return getattr(client, method)(path, data, content_type="application/json")
    return getattr(client, method)(path, data) if method == "post" else client.get(path)


def _request(client, shop_slug, side, case, person, n, pk, *, api):
    method, path, data = side
    data = data(n, person) if callable(data) else data
    prefix = f"/api/v1/shops/{shop_slug}/" if api else f"/shop/{shop_slug}/"
    return _send(client, method, prefix + path.format(pk=pk), data, api=api)


@pytest.mark.parametrize(("key", "role"), PAIRS)
def test_the_action_is_done_with_the_grant_and_refused_without_it(key, role, shop, person, sign_in):
    case = CASES[key]
    if case.funded:
        _fund(shop)
    someone = person(role)
    client = sign_in(someone)
    allowed = ACTIONS[key].grant in ROLES[role].grants
    page_pk = case.make(shop).pk if case.make else None
    api_pk = case.make(shop).pk if case.make else None

    page = _request(client, shop.slug, case.page, case, someone, 1, page_pk, api=False)
    api = _request(client, shop.slug, case.api, case, someone, 2, api_pk, api=True)

    if allowed:
        assert page.status_code == case.page_status, page.content[:400]
        if page.status_code == 302:
            landed = client.get(page["Location"]).content.decode()
            assert 'class="message success"' in landed, landed[:2000]
        assert api.status_code == case.api_status, api.content[:400]
    else:
        assert page.status_code == 403
        assert api.status_code == 403
        assert api.json()["code"] == "missing_grant"


@pytest.mark.parametrize("key", MODULE_ACTIONS)
def test_another_shops_object_or_shop_is_not_found(key, shop, other_shop, person, sign_in):
    case = CASES[key]
    owner = person(OWNER)
    client = sign_in(owner)
    theirs = case.make(other_shop) if case.make else None
    if theirs is not None:
        # The caller's own shop in the path, another shop's object id.
        slug, pk = shop.slug, theirs.pk
        before = type(theirs).objects.filter(pk=pk).values().get()
    else:
        slug, pk, before = other_shop.slug, None, None
    if case.funded:
        _fund(other_shop)

    page = _request(client, slug, case.page, case, owner, 1, pk, api=False)
    api = _request(client, slug, case.api, case, owner, 2, pk, api=True)

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    if theirs is not None:
        assert type(theirs).objects.filter(pk=pk).values().get() == before
