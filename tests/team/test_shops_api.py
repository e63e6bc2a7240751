"""GET /api/v1/shops (SPEC §10): the signed-in person's shops with their roles, nobody else's."""

import pytest
from django.test import Client

from tests.factories import MembershipFactory, ShopFactory

pytestmark = pytest.mark.django_db


def test_a_person_lists_their_shops_and_roles_and_nothing_else(signed_in, owner, shop, other_shop):
    second = ShopFactory(name="Another Shop", currency="EUR")
    MembershipFactory(shop=second, user=owner, roles=["finance_specialist", "marketing_specialist"])
    suspended = ShopFactory(name="Closed To Me")
    MembershipFactory(shop=suspended, user=owner, roles=["main_admin"], status="suspended")

    response = signed_in(owner).get("/api/v1/shops")

    assert response.status_code == 200
    items = response.json()["results"]
    assert [item["slug"] for item in items] == [second.slug, shop.slug]
    assert items[0] | {"grants": []} == {
        "slug": second.slug,
        "name": "Another Shop",
        "currency": "EUR",
        "is_owner": False,
        "roles": ["finance_specialist", "marketing_specialist"],
        "require_two_step": False,
        "grants": [],
    }
    assert "finance.view" in items[0]["grants"] and "users.manage" not in items[0]["grants"]
    assert items[1]["is_owner"] is True and items[1]["roles"] == ["owner"]
    assert other_shop.slug not in response.content.decode()


def test_signed_out_the_list_is_refused(client: Client):
    response = client.get("/api/v1/shops")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
