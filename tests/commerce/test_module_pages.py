"""Module list pages: who may open them, and that each shows its own shop's rows only."""

from decimal import Decimal

import pytest

from accounts.models import MembershipStatus
from commerce.views import MODULE_LISTS
from permissions.registry import MODULES, MODULES_BY_SLUG, OWNER, ROLES
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    BillFactory,
    CampaignFactory,
    ConversationFactory,
    MembershipFactory,
    MessageFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _bill(shop, marker):
    # Bills have no name: the amount is what tells two shops' bills apart on the page.
    amount = {"mine": Decimal("4321.00"), "theirs": Decimal("8765.00")}[marker]
    BillFactory(shop=shop, amount=amount)
    return f"USD\xa0{amount:,}"


def _conversation(shop, marker):
    MessageFactory(conversation=ConversationFactory(shop=shop, subject=f"Where is parcel {marker}?"))
    return f"Where is parcel {marker}?"


# module slug → make one visible row in a shop, returning the text that shows it on the page.
ROW_MAKERS = {
    "products": lambda shop, marker: ProductFactory(shop=shop, name=f"Teapot {marker}").name,
    "orders": lambda shop, marker: OrderFactory(shop=shop, buyer_name=f"Buyer {marker}").buyer_name,
    "finance": _bill,
    "marketing": lambda shop, marker: CampaignFactory(shop=shop, name=f"Sale {marker}").name,
    "affiliate": lambda shop, marker: AffiliatePlanFactory(shop=shop, name=f"Creators {marker}").name,
    "advertising": lambda shop, marker: AdPlanFactory(shop=shop, name=f"Ads {marker}").name,
    "customer-service": _conversation,
}

PAIRS = [(module, role) for module in MODULES for role in ROLES.values()]
ALLOWED = [(m.slug, r.name) for m, r in PAIRS if m.view_grant in r.grants]
REFUSED = [(m.slug, r.name) for m, r in PAIRS if m.view_grant not in r.grants]


@pytest.fixture
def person_with_role(shop, member_with):
    def make(role):
        return shop.owner if role == OWNER else member_with(role)

    return make


def test_every_module_in_the_registry_has_a_list_page_and_test_data():
    assert set(MODULE_LISTS) == set(MODULES_BY_SLUG) == set(ROW_MAKERS)


def test_the_matrix_covers_both_sides():
    assert ALLOWED and REFUSED
    assert len(ALLOWED) + len(REFUSED) == len(MODULES) * len(ROLES)


@pytest.mark.parametrize(("module", "role"), ALLOWED)
def test_member_whose_roles_open_the_module_sees_their_shops_rows_only(
    module, role, shop, other_shop, person_with_role, signed_in
):
    mine = ROW_MAKERS[module](shop, "mine")
    theirs = ROW_MAKERS[module](other_shop, "theirs")
    client = signed_in(person_with_role(role))

    response = client.get(f"/shop/{shop.slug}/{module}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert mine in page
    assert theirs not in page


@pytest.mark.parametrize(("module", "role"), REFUSED)
def test_member_whose_roles_do_not_open_the_module_is_refused(
    module, role, shop, person_with_role, signed_in
):
    ROW_MAKERS[module](shop, "mine")
    client = signed_in(person_with_role(role))

    assert client.get(f"/shop/{shop.slug}/{module}/").status_code == 403


@pytest.mark.parametrize("module", MODULES_BY_SLUG)
def test_module_of_a_shop_the_user_does_not_belong_to_is_not_found(module, shop, other_shop, signed_in):
    client = signed_in(other_shop.owner)

    assert client.get(f"/shop/{shop.slug}/{module}/").status_code == 404


@pytest.mark.parametrize("module", MODULES_BY_SLUG)
def test_suspended_member_finds_no_module(module, shop, signed_in):
    membership = MembershipFactory(shop=shop, roles=["main_admin"])
    client = signed_in(membership.user)
    assert client.get(f"/shop/{shop.slug}/{module}/").status_code == 200

    membership.status = MembershipStatus.SUSPENDED
    membership.save()

    assert client.get(f"/shop/{shop.slug}/{module}/").status_code == 404


def test_unknown_module_is_not_found(owner, signed_in):
    client = signed_in(owner)
    assert client.get("/shop/demo-shop/warehouse/").status_code == 404


def test_signed_out_visitor_is_sent_to_the_login_page(shop, client):
    response = client.get("/shop/demo-shop/products/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_products_come_25_a_page_and_a_bad_page_number_never_fails(shop, owner, signed_in):
    for n in range(30):
        ProductFactory(shop=shop, name=f"Mug {n:02d}")
    client = signed_in(owner)

    first = client.get("/shop/demo-shop/products/").content.decode()
    second = client.get("/shop/demo-shop/products/?page=2").content.decode()

    assert first.count("<tr>") - 1 == 25
    assert second.count("<tr>") - 1 == 5
    assert "Page 2 of 2" in second
    assert 'href="?page=2"' in first
    for bad in ("abc", "0", "-1", "999", "1e9", "%00"):
        assert client.get(f"/shop/demo-shop/products/?page={bad}").status_code == 200


@pytest.mark.parametrize("query", ["%00", "mug%00", "%27%20OR%201=1--", "%F0%9F%98%80" * 40, "x" * 500])
def test_hostile_product_searches_answer_a_page_never_a_server_error(shop, owner, signed_in, query):
    ProductFactory(shop=shop, name="Mug")
    response = signed_in(owner).get(f"/shop/demo-shop/products/?q={query}&status={query}")
    assert response.status_code == 200


def test_product_filters_keep_their_place_across_pages(shop, owner, signed_in):
    for n in range(27):
        ProductFactory(shop=shop, name=f"Kettle {n:02d}", status="delisted")
    ProductFactory(shop=shop, name="Kettle active")
    client = signed_in(owner)

    page = client.get("/shop/demo-shop/products/?status=delisted&q=kettle").content.decode()

    assert "Kettle active" not in page
    assert "Page 1 of 2" in page
    assert "?status=delisted&amp;q=kettle&amp;page=2" in page


def test_product_search_matches_name_or_sku(shop, owner, signed_in):
    ProductFactory(shop=shop, name="Green teapot", sku="TEA-01")
    ProductFactory(shop=shop, name="Blue mug", sku="MUG-01")
    client = signed_in(owner)

    by_sku = client.get("/shop/demo-shop/products/?q=mug-0").content.decode()

    assert "Blue mug" in by_sku
    assert "Green teapot" not in by_sku


def test_order_status_filter_shows_only_that_status_and_ignores_unknown_ones(shop, owner, signed_in):
    OrderFactory(shop=shop, buyer_name="Waiting buyer", status="pending")
    OrderFactory(shop=shop, buyer_name="Refunded buyer", status="refunded")
    client = signed_in(owner)

    refunded = client.get("/shop/demo-shop/orders/?status=refunded").content.decode()
    unknown = client.get("/shop/demo-shop/orders/?status=<script>")

    assert "Refunded buyer" in refunded and "Waiting buyer" not in refunded
    assert unknown.status_code == 200
    assert "Refunded buyer" in unknown.content.decode() and "Waiting buyer" in unknown.content.decode()


def test_owner_sees_the_payout_account_masked_to_its_last_four_digits(shop, owner, signed_in):
    PayoutAccountFactory(shop=shop, account_number="123456789012", holder_name="Demo Holder")
    client = signed_in(owner)

    page = client.get("/shop/demo-shop/finance/").content.decode()

    assert "Payout account" in page
    assert "••••9012" in page
    assert "123456789012" not in page
    assert "Demo Holder" in page


def test_finance_specialist_sees_bills_but_not_the_payout_account(shop, member_with, signed_in):
    PayoutAccountFactory(shop=shop, account_number="123456789012", holder_name="Demo Holder")
    BillFactory(shop=shop, amount=Decimal("4321.00"))
    client = signed_in(member_with("finance_specialist"))

    page = client.get("/shop/demo-shop/finance/").content.decode()

    assert "USD\xa04,321.00" in page
    assert "Payout account" not in page
    assert "9012" not in page
    assert "Demo Holder" not in page


def test_menu_lists_only_the_modules_a_member_may_open(shop, member_with, signed_in):
    client = signed_in(member_with("customer_service_agent"))

    page = client.get("/shop/demo-shop/customer-service/").content.decode()

    assert 'href="/shop/demo-shop/customer-service/"' in page
    assert 'href="/shop/demo-shop/orders/"' in page
    assert 'href="/shop/demo-shop/products/"' not in page
    assert 'href="/shop/demo-shop/finance/"' not in page
    assert 'href="/shop/demo-shop/users/"' not in page


def test_empty_module_says_so(shop, owner, signed_in):
    client = signed_in(owner)
    assert "No ad plans yet." in client.get("/shop/demo-shop/advertising/").content.decode()


def test_a_page_of_rows_costs_the_same_queries_however_many_rows(
    shop, owner, signed_in, django_assert_max_num_queries
):
    for _ in range(25):
        ConversationFactory(shop=shop)
    client = signed_in(owner)
    UserFactory()  # another person in the system changes nothing here

    with django_assert_max_num_queries(12):
        assert client.get("/shop/demo-shop/customer-service/").status_code == 200


def test_conversations_with_the_newest_message_come_first(shop, owner, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    quiet = ConversationFactory(shop=shop, subject="Quiet since last week")
    MessageFactory(conversation=quiet, created=timezone.now() - timedelta(days=7))
    busy = ConversationFactory(shop=shop, subject="Answered a minute ago")
    busy.updated = timezone.now() - timedelta(days=30)
    busy.save(update_fields=["updated"])
    MessageFactory(conversation=busy, created=timezone.now() - timedelta(minutes=1))

    page = signed_in(owner).get("/shop/demo-shop/customer-service/").content.decode()

    assert page.index("Answered a minute ago") < page.index("Quiet since last week")
