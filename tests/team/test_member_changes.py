"""The owner changes roles, suspends, reactivates and removes members, from the browser and the API:
each change counts from the member's very next request, is a security event in the shop's log, and
is e-mailed to the member and the owner; nobody touches the owner (SPEC §5)."""

import pytest
from django.test import Client

from accounts import services
from accounts.errors import GrantNotHeld, NotAllowed, OwnMembership
from accounts.models import Membership, MembershipStatus
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from permissions.registry import ROLES, Grant
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEVER_ASK = "Seller Center will never ask for your password, one-time codes or PIN."


@pytest.fixture
def finance(shop, password):
    """A finance specialist who also runs marketing, signed in on their own browser."""
    person = UserFactory(email="fin@example.com", anti_phishing_phrase="green kite")
    membership = MembershipFactory(
        shop=shop, user=person, roles=["finance_specialist", "marketing_specialist"]
    )
    browser = Client()
    assert browser.post("/login/", {"email": person.email, "password": password}).status_code == 302
    membership.browser = browser
    return membership


def mails_to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def test_the_owner_changes_roles_on_the_members_page_and_both_are_emailed(
    shop, finance, owner_client, commits, mailoutbox
):
    url = f"/shop/demo-shop/users/{finance.pk}/"
    page = owner_client.get(url).content.decode()
    assert "Save the roles" in page and 'value="finance_specialist"' in page

    with commits():
        response = owner_client.post(url, {"action": "roles", "roles": ["finance_specialist"]})

    assert response.status_code == 302
    finance.refresh_from_db()
    assert finance.roles == ["finance_specialist"]
    event = SecurityEvent.objects.get(kind=EventKind.MEMBER_CHANGED)
    assert (event.user, event.shop, event.details["previous_roles"]) == (
        finance.user,
        shop,
        ["finance_specialist", "marketing_specialist"],
    )
    (to_member,) = mails_to(mailoutbox, "fin@example.com")
    (to_owner,) = mails_to(mailoutbox, shop.owner.email)
    assert "Your roles in Demo Shop changed" in to_member.subject
    assert "green kite" in to_member.body and NEVER_ASK in to_member.body
    assert "fin@example.com's roles changed" in to_owner.subject and NEVER_ASK in to_owner.body
    # The shop's security log lists it.
    log = owner_client.get("/shop/demo-shop/security/").content.decode()
    assert "Member changed" in log


def test_a_removed_role_closes_its_module_on_the_members_very_next_request(finance, owner_client, api):
    browser = finance.browser
    assert browser.get("/shop/demo-shop/marketing/").status_code == 200
    assert browser.get("/api/v1/me").json()["shops"][0]["roles"] == [
        "finance_specialist",
        "marketing_specialist",
    ]

    response = api(owner_client)(
        "patch", f"shops/demo-shop/members/{finance.pk}", {"roles": ["finance_specialist"]}
    )

    assert response.status_code == 200 and response.json()["roles"] == ["finance_specialist"]
    assert browser.get("/shop/demo-shop/marketing/").status_code == 403
    assert browser.get("/shop/demo-shop/finance/").status_code == 200
    assert "marketing.view" not in browser.get("/api/v1/me").json()["shops"][0]["grants"]


def test_suspending_closes_the_shop_at_once_and_reactivating_opens_it(
    shop, finance, owner_client, commits, mailoutbox
):
    url = f"/shop/demo-shop/users/{finance.pk}/"
    with commits():
        owner_client.post(url, {"action": "suspend"})
    assert finance.browser.get("/shop/demo-shop/").status_code == 404
    assert finance.browser.get("/api/v1/shops/demo-shop/events").status_code == 404
    assert "suspended" in mails_to(mailoutbox, "fin@example.com")[-1].subject

    with commits():
        owner_client.post(url, {"action": "reactivate"})
    assert finance.browser.get("/shop/demo-shop/").status_code == 200
    kinds = list(SecurityEvent.objects.filter(shop=shop).values_list("kind", flat=True))
    assert EventKind.MEMBER_SUSPENDED in kinds and EventKind.MEMBER_REACTIVATED in kinds


def test_removing_asks_first_then_takes_the_shop_away(shop, finance, owner_client, commits, mailoutbox):
    url = f"/shop/demo-shop/users/{finance.pk}/remove/"
    assert "Remove fin@example.com from Demo Shop?" in owner_client.get(url).content.decode()
    assert Membership.objects.filter(pk=finance.pk).exists()

    with commits():
        response = owner_client.post(url)

    assert response["Location"] == "/shop/demo-shop/users/"
    assert not Membership.objects.filter(pk=finance.pk).exists()
    assert finance.browser.get("/shop/demo-shop/finance/").status_code == 404
    assert SecurityEvent.objects.get(kind=EventKind.MEMBER_REMOVED).shop == shop
    assert "removed from Demo Shop" in mails_to(mailoutbox, "fin@example.com")[-1].subject
    assert "fin@example.com was removed" in mails_to(mailoutbox, shop.owner.email)[-1].subject


def test_the_api_suspends_and_removes(finance, owner_client, api):
    owner = api(owner_client)
    suspended = owner("patch", f"shops/demo-shop/members/{finance.pk}", {"status": "suspended"})
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert owner("delete", f"shops/demo-shop/members/{finance.pk}").status_code == 204
    assert owner("get", f"shops/demo-shop/members/{finance.pk}").status_code == 404


def test_the_members_list_shows_two_step_status_and_last_sign_in(finance, owner_client, api):
    rows = {
        row["email"]: row for row in api(owner_client)("get", "shops/demo-shop/members").json()["results"]
    }
    assert rows["fin@example.com"]["last_sign_in"] is not None
    assert rows["fin@example.com"]["two_step_enabled"] is False
    owner_row = next(row for row in rows.values() if row["is_owner"])
    assert owner_row["roles"] == ["owner"] and owner_row["two_step_enabled"] is True
    assert next(iter(rows)) == owner_row["email"]
    never = MembershipFactory(shop=finance.shop)
    listed = {row["id"]: row for row in api(owner_client)("get", "shops/demo-shop/members").json()["results"]}
    assert listed[never.pk]["last_sign_in"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"roles": ["owner"]},
        {"roles": ["wizard"]},
        {"roles": []},
        {"roles": "main_admin"},
        {"roles": ["x" * 10_240]},
        {"status": "deleted"},
        {"status": "x" * 10_240},
        {},
        ["roles"],
    ],
)
def test_bad_changes_are_400_and_change_nothing(body, finance, owner_client, api):
    response = api(owner_client)("patch", f"shops/demo-shop/members/{finance.pk}", body)
    assert response.status_code == 400, response.content
    finance.refresh_from_db()
    assert finance.roles == ["finance_specialist", "marketing_specialist"]
    assert finance.status == MembershipStatus.ACTIVE
    assert not SecurityEvent.objects.filter(kind=EventKind.MEMBER_CHANGED).exists()


def test_nobody_changes_suspends_or_removes_the_owner(shop, owner_client, api):
    owner_membership = Membership.objects.get(shop=shop, user=shop.owner)
    owner = api(owner_client)
    for method, body in (
        ("patch", {"roles": ["finance_specialist"]}),
        ("patch", {"status": "suspended"}),
        ("delete", None),
    ):
        response = owner(method, f"shops/demo-shop/members/{owner_membership.pk}", body)
        assert response.status_code == 403 and response.json()["code"] == "owner_protected"
    page = owner_client.get(f"/shop/demo-shop/users/{owner_membership.pk}/").content.decode()
    assert "nobody can change the owner's roles" in page and "Save the roles" not in page
    posted = owner_client.post(f"/shop/demo-shop/users/{owner_membership.pk}/", {"action": "suspend"})
    assert posted.status_code == 403
    owner_membership.refresh_from_db()
    assert owner_membership.is_active and owner_membership.roles == []


def test_an_unknown_page_action_is_400(finance, owner_client):
    response = owner_client.post(f"/shop/demo-shop/users/{finance.pk}/", {"action": "promote"})
    assert response.status_code == 400


def test_nobody_acts_on_their_own_membership_or_gives_what_they_lack(shop, finance):
    """General rules, whoever some day holds users.manage besides the owner."""
    manager = MembershipFactory(shop=shop, roles=["marketing_specialist"])
    manager.__dict__["grants"] = ROLES["marketing_specialist"].grants | {Grant.USERS_MANAGE}
    context = RequestContext()

    with pytest.raises(OwnMembership):
        services.change_member(manager, roles=["main_admin"], acting=manager, context=context)
    with pytest.raises(OwnMembership):
        services.remove_member(manager, acting=manager, context=context)
    with pytest.raises(GrantNotHeld):
        services.change_member(finance, roles=["main_admin"], acting=manager, context=context)
    assert services.change_member(finance, roles=["marketing_specialist"], acting=manager, context=context)
    finance.refresh_from_db()
    assert finance.roles == ["marketing_specialist"]


def test_a_member_without_users_manage_cannot_act_even_through_the_service(shop, finance):
    admin = MembershipFactory(shop=shop, roles=["main_admin"])
    with pytest.raises(NotAllowed):
        services.change_member(finance, status="suspended", acting=admin, context=RequestContext())
    with pytest.raises(NotAllowed):
        services.change_member(
            finance, roles=["main_admin"], acting=MembershipFactory(), context=RequestContext()
        )
