"""The admin site as support staff use it, and the shop owner's protections there."""

import pytest

from accounts.models import MembershipStatus, User
from audit.models import EventKind, SecurityEvent
from sellercenter.management.commands.seed_demo import Command as SeedDemo
from tests.conftest import add_totp
from tests.factories import MembershipFactory, PayoutAccountFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(db):
    """A support agent, in the same Support group that seed_demo sets up."""
    agent = add_totp(UserFactory(email="agent@support.example", is_staff=True))
    SeedDemo().seed_support_group(agent)
    return agent


@pytest.fixture
def superuser(staff_user):
    return staff_user


CHANGELISTS = [
    "accounts/user",
    "accounts/shop",
    "accounts/membership",
    "commerce/product",
    "commerce/order",
    "commerce/bill",
    "commerce/payoutaccount",
    "commerce/campaign",
    "commerce/affiliateplan",
    "commerce/adplan",
    "commerce/conversation",
]


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_support_staff_can_open_the_changelists(changelist, support, shop, fully_signed_in):
    MembershipFactory(shop=shop)
    ProductFactory(shop=shop)
    client = fully_signed_in(support)

    assert client.get(f"/admin/{changelist}/").status_code == 200


def test_support_staff_can_search_users_and_memberships_by_shop(support, shop, other_shop, fully_signed_in):
    MembershipFactory(shop=shop, user=UserFactory(email="findme@example.com"))
    client = fully_signed_in(support)

    found = client.get("/admin/accounts/user/?q=findme").content.decode()
    by_shop = client.get(f"/admin/accounts/membership/?q={other_shop.slug}").content.decode()

    assert "findme@example.com" in found
    assert "findme@example.com" not in by_shop


def test_people_who_are_not_staff_are_kept_out_of_the_admin(owner, signed_in):
    response = signed_in(owner).get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_support_sees_a_users_shops_but_cannot_change_their_email_password_or_powers(
    support, shop, owner, fully_signed_in
):
    client = fully_signed_in(support)

    page = client.get(f"/admin/accounts/user/{owner.pk}/change/").content.decode()

    assert shop.name in page
    assert 'name="email"' not in page
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert "password/" not in page
    assert client.get(f"/admin/accounts/user/{owner.pk}/password/").status_code == 403


def test_nobody_changes_a_password_in_the_admin_superusers_included(superuser, owner, fully_signed_in):
    client = fully_signed_in(superuser)

    page = client.get(f"/admin/accounts/user/{owner.pk}/change/").content.decode()
    response = client.post(
        f"/admin/accounts/user/{owner.pk}/password/",
        {"password1": "N3w-Pa55word!x", "password2": "N3w-Pa55word!x", "usable_password": "true"},
    )

    assert "password/" not in page
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.check_password("aR@1nY6#y")
    assert not SecurityEvent.objects.filter(user=owner, kind=EventKind.PASSWORD_CHANGED).exists()


@pytest.mark.parametrize("who", ["support", "superuser"])
def test_memberships_are_read_only_in_the_admin_for_everyone(who, request, shop, fully_signed_in):
    member = MembershipFactory(shop=shop, roles=["finance_specialist"])
    client = fully_signed_in(request.getfixturevalue(who))
    change_url = f"/admin/accounts/membership/{member.pk}/change/"

    page = client.get(change_url).content.decode()
    changed = client.post(
        change_url, {"user": member.user_id, "shop": shop.pk, "roles": ["main_admin"], "status": "suspended"}
    )
    deleted = client.post(f"/admin/accounts/membership/{member.pk}/delete/", {"post": "yes"})
    added = client.get("/admin/accounts/membership/add/")

    assert 'name="roles"' not in page and 'name="status"' not in page
    assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    member.refresh_from_db()
    assert member.roles == ["finance_specialist"] and member.status == MembershipStatus.ACTIVE


def test_shops_are_read_only_in_the_admin(superuser, shop, fully_signed_in):
    client = fully_signed_in(superuser)

    page = client.get(f"/admin/accounts/shop/{shop.pk}/change/").content.decode()
    renamed = client.post(f"/admin/accounts/shop/{shop.pk}/change/", {"name": "Renamed", "slug": shop.slug})

    assert shop.owner.email in page
    assert renamed.status_code == 403
    assert client.get("/admin/accounts/shop/add/").status_code == 403
    shop.refresh_from_db()
    assert shop.name == "Demo Shop"


def test_support_cannot_raise_their_own_powers(support, fully_signed_in):
    client = fully_signed_in(support)
    response = client.post(
        f"/admin/accounts/user/{support.pk}/change/", {"is_superuser": "on", "is_staff": "on"}
    )

    assert response.status_code == 403
    support.refresh_from_db()
    assert not support.is_superuser


def test_a_superuser_grants_staff_access_without_touching_e_mail_or_password(
    superuser, owner, fully_signed_in
):
    client = fully_signed_in(superuser)
    response = client.post(
        f"/admin/accounts/user/{owner.pk}/change/",
        {
            "email": "hijacked@example.com",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    owner.refresh_from_db()
    assert owner.is_staff
    assert owner.email != "hijacked@example.com"
    assert owner.check_password("aR@1nY6#y")


def test_a_superuser_adds_a_support_agent_who_sets_their_own_password(superuser, fully_signed_in):
    client = fully_signed_in(superuser)
    response = client.post(
        "/admin/accounts/user/add/",
        {"email": "New.Agent@Support.example", "first_name": "Nia", "last_name": "Agent"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    agent = User.objects.get(email="new.agent@support.example")
    assert agent.is_staff and not agent.is_superuser
    assert not agent.has_usable_password()


def test_support_cannot_add_accounts(support, fully_signed_in):
    assert fully_signed_in(support).get("/admin/accounts/user/add/").status_code == 403


def test_support_cannot_delete_shops_or_change_module_data(support, shop, fully_signed_in):
    product = ProductFactory(shop=shop)
    client = fully_signed_in(support)

    assert client.post(f"/admin/accounts/shop/{shop.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/commerce/product/{product.pk}/change/", {"name": "x"}).status_code == 403


def test_payout_account_shows_only_its_last_digits_in_the_admin(superuser, shop, fully_signed_in):
    account = PayoutAccountFactory(shop=shop, account_number="123456789012")
    client = fully_signed_in(superuser)

    listing = client.get("/admin/commerce/payoutaccount/").content.decode()
    detail = client.get(f"/admin/commerce/payoutaccount/{account.pk}/change/").content.decode()

    for page in (listing, detail):
        assert "9012" in page
        assert "123456789012" not in page
