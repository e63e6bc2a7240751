"""The admin site as support staff use it, and the shop owner's protections there."""

import pytest

from accounts.management.commands.seed_demo import Command as SeedDemo
from accounts.models import Membership, MembershipStatus
from security.models import EventKind, SecurityEvent
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


@pytest.fixture
def owner_membership(shop):
    return Membership.objects.get(shop=shop, user=shop.owner)


def membership_form(membership, **changes):
    data = {
        "user": membership.user_id,
        "shop": membership.shop_id,
        "roles": membership.roles,
        "status": membership.status,
    }
    data.update(changes)
    return data


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


def test_support_staff_can_search_users_and_filter_memberships_by_shop(
    support, shop, other_shop, fully_signed_in
):
    MembershipFactory(shop=shop, user=UserFactory(email="findme@example.com"))
    client = fully_signed_in(support)

    found = client.get("/admin/accounts/user/?q=findme").content.decode()
    by_shop = client.get(f"/admin/accounts/membership/?shop__id__exact={other_shop.pk}").content.decode()

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


def test_support_cannot_raise_their_own_powers(support, fully_signed_in):
    client = fully_signed_in(support)
    response = client.post(
        f"/admin/accounts/user/{support.pk}/change/",
        {
            "first_name": "Sam",
            "last_name": "Agent",
            "is_active": "on",
            "is_superuser": "on",
            "preferred_two_step_method": "totp",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    support.refresh_from_db()
    assert support.first_name == "Sam"  # the form saved, without the field it must not have
    assert not support.is_superuser


def test_support_cannot_lock_out_another_account(support, superuser, fully_signed_in):
    client = fully_signed_in(support)
    form = {
        "first_name": "Root",
        "last_name": "Admin",
        "preferred_two_step_method": "totp",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }  # "is_active" left out: an unticked box

    client.post(f"/admin/accounts/user/{superuser.pk}/change/", form)

    superuser.refresh_from_db()
    assert superuser.is_active


def test_superuser_sees_the_password_change_link(superuser, owner, fully_signed_in):
    page = fully_signed_in(superuser).get(f"/admin/accounts/user/{owner.pk}/change/").content.decode()
    assert "../password/" in page


def test_owner_membership_cannot_be_deleted(superuser, owner_membership, fully_signed_in):
    client = fully_signed_in(superuser)

    response = client.post(f"/admin/accounts/membership/{owner_membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


def test_bulk_delete_refuses_when_the_owner_is_among_the_chosen(
    superuser, shop, owner_membership, fully_signed_in
):
    member = MembershipFactory(shop=shop)
    client = fully_signed_in(superuser)

    response = client.post(
        "/admin/accounts/membership/",
        {"action": "delete_selected", "_selected_action": [owner_membership.pk, member.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert Membership.objects.filter(pk__in=[owner_membership.pk, member.pk]).count() == 2


def test_owner_roles_and_status_are_read_only(superuser, owner_membership, fully_signed_in):
    client = fully_signed_in(superuser)
    url = f"/admin/accounts/membership/{owner_membership.pk}/change/"

    page = client.get(url).content.decode()
    response = client.post(
        url, membership_form(owner_membership, roles=["finance_specialist"], status="suspended")
    )

    assert 'name="roles"' not in page and 'name="status"' not in page
    assert response.status_code == 302
    owner_membership.refresh_from_db()
    assert owner_membership.roles == []
    assert owner_membership.status == MembershipStatus.ACTIVE


def shop_form(shop, rows):
    data = {
        "name": shop.name,
        "slug": shop.slug,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(len(rows)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for n, (membership, extra) in enumerate(rows):
        data.update(
            {
                f"memberships-{n}-id": membership.pk,
                f"memberships-{n}-shop": shop.pk,
                f"memberships-{n}-user": membership.user_id,
                f"memberships-{n}-roles": membership.roles,
                f"memberships-{n}-status": membership.status,
            }
        )
        data.update({f"memberships-{n}-{key}": value for key, value in extra.items()})
    return data


def test_shop_page_refuses_to_remove_the_owner_or_change_their_roles(
    superuser, shop, owner_membership, fully_signed_in
):
    client = fully_signed_in(superuser)
    url = f"/admin/accounts/shop/{shop.pk}/change/"

    removed = client.post(url, shop_form(shop, [(owner_membership, {"DELETE": "on"})]))
    re_roled = client.post(url, shop_form(shop, [(owner_membership, {"roles": ["finance_specialist"]})]))

    assert "cannot be removed" in removed.content.decode()
    assert "cannot be changed" in re_roled.content.decode()
    owner_membership.refresh_from_db()
    assert owner_membership.roles == []


def test_shop_page_changes_a_members_roles_and_logs_it(superuser, shop, owner_membership, fully_signed_in):
    member = MembershipFactory(shop=shop, roles=["main_admin"])
    client = fully_signed_in(superuser)

    response = client.post(
        f"/admin/accounts/shop/{shop.pk}/change/",
        shop_form(
            shop,
            [(owner_membership, {}), (member, {"roles": ["finance_specialist", "marketing_specialist"]})],
        ),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.roles == ["finance_specialist", "marketing_specialist"]
    event = SecurityEvent.objects.get(kind=EventKind.MEMBER_CHANGED, user=member.user)
    assert event.shop == shop and event.details["by"] == superuser.email


def test_support_suspends_a_member_and_the_log_records_it(support, shop, fully_signed_in):
    member = MembershipFactory(shop=shop, roles=["main_admin"])
    client = fully_signed_in(support)

    response = client.post(
        f"/admin/accounts/membership/{member.pk}/change/", membership_form(member, status="suspended")
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MembershipStatus.SUSPENDED
    assert SecurityEvent.objects.filter(kind=EventKind.MEMBER_SUSPENDED, user=member.user, shop=shop).exists()


def test_removing_a_member_in_admin_is_logged_with_who_did_it(superuser, shop, fully_signed_in):
    member = MembershipFactory(shop=shop, roles=["finance_specialist"])
    client = fully_signed_in(superuser)

    response = client.post(f"/admin/accounts/membership/{member.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    event = SecurityEvent.objects.get(kind=EventKind.MEMBER_REMOVED, user=member.user, shop=shop)
    assert event.details == {"by": superuser.email, "via": "admin"}


def test_unknown_or_owner_roles_are_refused_with_a_message(support, shop, fully_signed_in):
    member = MembershipFactory(shop=shop, roles=["main_admin"])
    client = fully_signed_in(support)

    response = client.post(
        f"/admin/accounts/membership/{member.pk}/change/", membership_form(member, roles=["owner"])
    )

    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    member.refresh_from_db()
    assert member.roles == ["main_admin"]


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


def test_adding_a_shop_in_the_admin_makes_its_owner_a_member(superuser, fully_signed_in):
    owner = UserFactory(email="newowner@example.com")
    client = fully_signed_in(superuser)

    response = client.post(
        "/admin/accounts/shop/add/",
        {
            "name": "Fresh Shop",
            "slug": "fresh-shop",
            "owner": owner.pk,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert Membership.objects.filter(shop__slug="fresh-shop", user=owner, status="active").exists()


def test_a_new_shops_owner_stays_an_active_member_whatever_their_inline_row_says(superuser, fully_signed_in):
    owner = UserFactory(email="newowner@example.com")
    client = fully_signed_in(superuser)

    client.post(
        "/admin/accounts/shop/add/",
        {
            "name": "Fresh Shop",
            "slug": "fresh-shop",
            "owner": owner.pk,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": owner.pk,
            "memberships-0-roles": ["finance_specialist"],
            "memberships-0-status": "suspended",
        },
    )

    membership = Membership.objects.get(shop__slug="fresh-shop", user=owner)
    assert membership.status == "active" and membership.roles == []


def test_a_membership_cannot_be_moved_to_another_person(superuser, shop, owner_membership, fully_signed_in):
    member = MembershipFactory(shop=shop, roles=["main_admin"])
    stranger = UserFactory()
    client = fully_signed_in(superuser)

    response = client.post(
        f"/admin/accounts/shop/{shop.pk}/change/",
        shop_form(shop, [(owner_membership, {}), (member, {"user": stranger.pk})]),
    )

    assert "remove it and add a new one" in response.content.decode()
    member.refresh_from_db()
    assert member.user_id != stranger.pk
