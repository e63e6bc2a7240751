"""Support staff may suspend a member in an emergency, in the admin, with a reason: it is a security
event that says staff did it, and the owner is e-mailed. Nothing else about memberships changes in
the admin, superusers included (SPEC §5)."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import Membership, MembershipStatus
from audit.models import EventKind, SecurityEvent
from sellercenter.management.commands.seed_demo import Command as SeedDemo
from tests.conftest import add_totp
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/membership/"


@pytest.fixture
def support(db):
    """A support agent in the Support group that seed_demo sets up."""
    agent = add_totp(UserFactory(email="agent@support.example", is_staff=True))
    SeedDemo().seed_support_group(agent)
    return agent


@pytest.fixture
def member(shop, password):
    return MembershipFactory(
        shop=shop, user=UserFactory(email="fin@example.com"), roles=["finance_specialist"]
    )


def action(memberships, **extra):
    return {"action": "suspend_in_emergency", "_selected_action": [m.pk for m in memberships], **extra}


def test_support_suspends_a_member_with_a_reason_and_the_owner_is_emailed(
    shop, member, support, fully_signed_in, commits, mailoutbox, password
):
    client = fully_signed_in(support)
    asked = client.post(CHANGELIST, action([member]))
    assert asked.status_code == 200
    assert "Reason" in asked.content.decode() and "fin@example.com" in asked.content.decode()
    member.refresh_from_db()
    assert member.is_active

    with commits():
        done = client.post(CHANGELIST, action([member], apply="1", reason="Owner phoned: laptop stolen"))

    assert done.status_code == 302
    member.refresh_from_db()
    assert member.status == MembershipStatus.SUSPENDED
    event = SecurityEvent.objects.get(kind=EventKind.MEMBER_SUSPENDED)
    assert event.shop == shop
    assert event.details["by_staff"] is True and event.details["by"] == support.email
    assert event.details["reason"] == "Owner phoned: laptop stolen"
    (to_owner,) = [m for m in mailoutbox if m.to == [shop.owner.email]]
    assert "laptop stolen" in to_owner.body and "Seller Center support suspended" in to_owner.body
    assert any(m.to == ["fin@example.com"] for m in mailoutbox)


def test_a_suspension_needs_a_reason(member, support, fully_signed_in):
    response = fully_signed_in(support).post(CHANGELIST, action([member], apply="1", reason="   "))
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    assert not SecurityEvent.objects.filter(kind=EventKind.MEMBER_SUSPENDED).exists()


def test_the_owner_is_never_suspended_by_staff(shop, member, support, fully_signed_in):
    owner_membership = Membership.objects.get(shop=shop, user=shop.owner)
    response = fully_signed_in(support).post(
        CHANGELIST, action([owner_membership, member], apply="1", reason="Fraud report"), follow=True
    )
    owner_membership.refresh_from_db()
    member.refresh_from_db()
    assert owner_membership.is_active and not member.is_active
    assert "freeze the owner&#x27;s account instead" in response.content.decode()


def test_a_suspension_asks_for_a_fresh_second_step(member, support, fully_signed_in, later):
    client = fully_signed_in(support)
    later(11)
    response = client.post(CHANGELIST, action([member], apply="1", reason="Fraud report"))
    assert response.status_code == 302 and "/account/security/step-up/" in response["Location"]
    member.refresh_from_db()
    assert member.is_active


def test_staff_without_the_permission_see_no_suspension(member, fully_signed_in):
    looker = add_totp(UserFactory(email="looker@support.example", is_staff=True))
    looker.user_permissions.add(Permission.objects.get(codename="view_membership"))
    client = fully_signed_in(looker)
    page = client.get(CHANGELIST).content.decode()
    assert "suspend_in_emergency" not in page
    client.post(CHANGELIST, action([member], apply="1", reason="Fraud report"))
    member.refresh_from_db()
    assert member.is_active


def test_invitations_are_read_only_in_the_admin(shop, staff_user, fully_signed_in, invite):
    invitation, _ = invite("fin2@example.com")
    client = fully_signed_in(staff_user)
    page = client.get(f"/admin/accounts/invitation/{invitation.pk}/change/")
    assert page.status_code == 200 and "fin2@example.com" in page.content.decode()
    assert (
        client.post(f"/admin/accounts/invitation/{invitation.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert client.get("/admin/accounts/invitation/add/").status_code == 403
