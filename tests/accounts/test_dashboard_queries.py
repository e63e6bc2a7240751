import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, ShopFactory

pytestmark = pytest.mark.django_db


def _dashboard_queries(client, slug):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/shop/{slug}/").status_code == 200
    return len(queries)


def test_dashboard_costs_the_same_few_queries_however_many_shops_and_members(signed_in, owner, shop):
    client = signed_in(owner)
    client.get(f"/shop/{shop.slug}/")  # the first request may touch the session's last-seen time
    alone = _dashboard_queries(client, shop.slug)
    for _ in range(30):
        other = ShopFactory()
        MembershipFactory(shop=other, user=owner, roles=["finance_specialist"])
        MembershipFactory.create_batch(3, shop=other)
    MembershipFactory.create_batch(10, shop=shop, roles=["main_admin", "marketing_specialist"])
    crowded = _dashboard_queries(client, shop.slug)
    assert alone == crowded
    # The session, the user and the membership; the person's shops for the header's switcher; then
    # the security check-up: the account's facts in one query, and for an owner one query per shop
    # item (members without two-step verification, pending invitations, a recent payout account).
    assert crowded <= 4 + 1 + 3
