"""User Management: the owner sees who is in the shop, with which roles, who has 2SV, and who is invited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import MembershipStatus
from permissions.registry import ROLES
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/shop/demo-shop/users/"


def test_owner_sees_every_member_with_roles_status_and_two_step(shop, owner, signed_in):
    with_app = MembershipFactory(
        shop=shop,
        roles=["finance_specialist", "marketing_specialist"],
        user=UserFactory(email="fin@example.com"),
    )
    TOTPDevice.objects.create(user=with_app.user, name="phone", confirmed=True)
    unconfirmed = MembershipFactory(
        shop=shop,
        roles=["customer_service_agent"],
        status=MembershipStatus.SUSPENDED,
        user=UserFactory(email="cs@example.com"),
    )
    TOTPDevice.objects.create(user=unconfirmed.user, name="phone", confirmed=False)

    page = signed_in(owner).get(URL).content.decode()

    fin_row = page[page.index("fin@example.com") :].split("</tr>")[0]
    cs_row = page[page.index("cs@example.com") :].split("</tr>")[0]
    owner_row = page[page.index(owner.email) :].split("</tr>")[0]
    assert "Finance specialist" in fin_row and "Marketing specialist" in fin_row
    assert ">On<" in fin_row
    assert "Customer service agent" in cs_row and "Suspended" in cs_row
    assert ">Off<" in cs_row  # an unconfirmed authenticator does not count
    assert "Owner" in owner_row and "(you)" in owner_row
    assert page.index(owner.email) < page.index("cs@example.com") < page.index("fin@example.com")


def test_page_explains_what_each_role_can_do_from_the_registry(shop, owner, signed_in):
    page = signed_in(owner).get(URL).content.decode()

    assert "What each role can do" in page
    for role in ROLES.values():
        assert str(role.label) in page
        assert role.summary in page
        for grant in role.grants:
            assert grant.value in page


def test_page_leads_to_adding_a_user_managing_members_and_the_pending_invitations(shop, owner, signed_in):
    member = MembershipFactory(shop=shop, roles=["finance_specialist"])
    page = signed_in(owner).get(URL).content.decode()

    assert 'href="/shop/demo-shop/users/add/"' in page
    assert f'href="/shop/demo-shop/users/{member.pk}/"' in page
    owner_row = page[page.index(owner.email) :].split("</tr>")[0]
    assert "Manage" not in owner_row  # nothing about the owner can be changed here
    assert 'href="/shop/demo-shop/users/invitations/"' in page
    assert "arrive with sub-account management" not in page
    assert "No invitation is waiting" in signed_in(owner).get(URL + "invitations/").content.decode()


def test_members_of_other_shops_are_not_listed(shop, other_shop, owner, signed_in):
    MembershipFactory(shop=other_shop, user=UserFactory(email="stranger@example.com"))

    assert "stranger@example.com" not in signed_in(owner).get(URL).content.decode()


@pytest.mark.parametrize("role", [name for name in ROLES if name != "owner"])
def test_members_other_than_the_owner_are_refused(role, member_with, signed_in):
    assert signed_in(member_with(role)).get(URL).status_code == 403


def test_another_shops_owner_finds_no_such_page(shop, other_shop, signed_in):
    assert signed_in(other_shop.owner).get(URL).status_code == 404


def test_menu_shows_user_management_to_the_owner_only(shop, owner, member_with, signed_in, client):
    assert 'href="/shop/demo-shop/users/"' in signed_in(owner).get("/shop/demo-shop/").content.decode()
    client.post("/logout/")
    admin_page = signed_in(member_with("main_admin")).get("/shop/demo-shop/").content.decode()
    assert 'href="/shop/demo-shop/users/"' not in admin_page


def test_two_step_column_costs_no_query_per_member(shop, owner, signed_in):
    client = signed_in(owner)
    MembershipFactory(shop=shop)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(8):
        member = MembershipFactory(shop=shop)
        TOTPDevice.objects.create(user=member.user, name="phone", confirmed=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200

    assert len(many) == len(few)


def test_members_are_paginated_owner_first_on_the_page_and_the_api(shop, owner, signed_in, api):
    for n in range(55):
        MembershipFactory(
            shop=shop, roles=["finance_specialist"], user=UserFactory(email=f"m{n:02d}@example.com")
        )
    client = signed_in(owner)

    first = client.get(URL).content.decode()
    second = client.get(URL + "?page=2").content.decode()
    listed = api(client)("get", "shops/demo-shop/members").json()
    following = api(client)("get", "shops/demo-shop/members?page=2").json()

    assert first.index(owner.email) < first.index("m00@example.com") < first.index("m23@example.com")
    assert "m24@example.com" not in first and "m24@example.com" in second
    assert "Page 1 of 3 · 56 in all" in first
    # The API pages by 50, as every list of the API does.
    assert listed["count"] == 56 and listed["next"].endswith("page=2") and listed["previous"] is None
    assert listed["results"][0]["is_owner"] and listed["results"][1]["email"] == "m00@example.com"
    assert [row["email"] for row in following["results"]] == [f"m{n:02d}@example.com" for n in range(49, 55)]
    assert client.get(URL + "?page=99").status_code == 200  # the last page, as module lists do
    assert api(client)("get", "shops/demo-shop/members?page=99").status_code == 404


def test_what_members_typed_is_shown_as_text(shop, owner, signed_in):
    MembershipFactory(
        shop=shop, user=UserFactory(first_name="<script>alert(1)</script>", last_name="<b>x</b>")
    )
    page = signed_in(owner).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page


def test_pending_invitations_have_their_own_paginated_list_with_expiry(shop, owner, signed_in, invite):
    for n in range(3):
        invite(f"i{n}@example.com")
    page = signed_in(owner).get(URL + "invitations/").content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 3 and "Send again" in rows and "Revoke" in rows
    assert "3 in all" in page
