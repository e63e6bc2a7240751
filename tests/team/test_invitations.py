"""Inviting people to a shop: the e-mailed single-use link (72 hours), resending, revoking, the
company's domains, the per-shop rate limit, and bad input that writes nothing (SPEC §5, §10)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts import invitations
from accounts.errors import GrantNotHeld
from accounts.models import Invitation, InvitationStatus, Membership
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from notifications.models import EmailLink
from permissions.registry import ROLES, Grant
from security.models import RateCounter
from tests.conftest import add_totp, email_link_tokens, open_email_link
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEVER_ASK = "Seller Center will never ask for your password, one-time codes or PIN."


def test_the_owner_adds_a_user_from_the_page_and_the_invitee_gets_a_single_use_72_hour_link(
    shop, owner_client, commits, mailoutbox
):
    page = owner_client.get("/shop/demo-shop/users/add/").content.decode()
    assert "invite only people of your own company" in page.lower()
    assert "One login per person" in page and "Never share the owner's password" in page

    with commits():
        response = owner_client.post(
            "/shop/demo-shop/users/add/", {"email": " Fin@Example.com ", "roles": ["finance_specialist"]}
        )

    assert response.status_code == 302 and response["Location"] == "/shop/demo-shop/users/invitations/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.roles, invitation.status) == (
        "fin@example.com",
        ["finance_specialist"],
        InvitationStatus.PENDING,
    )
    assert abs(invitation.expires - timezone.now() - timedelta(hours=72)) < timedelta(minutes=1)
    (message,) = [m for m in mailoutbox if m.to == ["fin@example.com"]]
    assert "Finance specialist" in message.body and "Finance" in message.body
    assert "within 72 hours" in message.body and NEVER_ASK in message.body
    assert len(email_link_tokens(message.body)) == 1
    link = EmailLink.objects.get(purpose="invitation")
    assert (link.uses_allowed, link.subject) == (1, f"invitation:{invitation.pk}")
    assert abs(link.expires - invitation.expires) < timedelta(seconds=1)
    event = SecurityEvent.objects.get(kind=EventKind.INVITATION_SENT)
    assert (event.shop, event.details["email"]) == (shop, "fin@example.com")
    listing = owner_client.get("/shop/demo-shop/users/invitations/").content.decode()
    assert "fin@example.com" in listing.split("<tbody>")[1]


def test_the_api_answers_201_with_the_pending_invitation(owner_client, api, commits):
    with commits():
        response = api(owner_client)(
            "post", "shops/demo-shop/members", {"email": "ads@example.com", "roles": ["advertising_manager"]}
        )

    assert response.status_code == 201
    body = response.json()
    assert {"id", "email", "roles", "status", "expires"} <= set(body)
    assert (body["email"], body["roles"], body["status"]) == (
        "ads@example.com",
        ["advertising_manager"],
        "pending",
    )
    listed = api(owner_client)("get", "shops/demo-shop/invitations").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


def test_an_existing_account_sees_its_anti_phishing_phrase_in_the_invitation(invite, mailoutbox):
    UserFactory(email="known@example.com", anti_phishing_phrase="blue heron")
    invite("known@example.com")
    (message,) = [m for m in mailoutbox if m.to == ["known@example.com"]]
    assert "blue heron" in message.body
    assert "accept after signing in" in message.body


TEN_KB = "x" * 10_240


@pytest.fixture
def taken(shop, invite):
    """An address already a member and one already invited."""
    MembershipFactory(shop=shop, user=UserFactory(email="member@example.com"))
    invite("invited@example.com")


# (body, field, words its message holds)
BAD_INVITATIONS = [
    ({"email": "a@example.com", "roles": ["wizard"]}, "roles", "Unknown role: wizard"),
    ({"email": "a@example.com", "roles": ["owner"]}, "roles", "a shop has one owner"),
    ({"email": "a@example.com", "roles": ["owner", "finance_specialist"]}, "roles", "a shop has one owner"),
    ({"email": "a@example.com", "roles": []}, "roles", "at least one role"),
    ({"email": "a@example.com", "roles": "finance_specialist"}, "roles", "list"),
    ({"email": "a@example.com", "roles": [TEN_KB]}, "roles", "64 characters"),
    ({"email": "a@example.com", "roles": ["finance_specialist"] * 50}, "roles", "20 elements"),
    ({"email": "a@example.com"}, "roles", "required"),
    ({"email": "MEMBER@example.com", "roles": ["finance_specialist"]}, "email", "already a member"),
    ({"email": "invited@example.com", "roles": ["finance_specialist"]}, "email", "already invited"),
    ({"email": "not-an-address", "roles": ["finance_specialist"]}, "email", "valid e-mail address"),
    ({"email": "a@", "roles": ["finance_specialist"]}, "email", "valid e-mail address"),
    ({"email": TEN_KB + "@example.com", "roles": ["finance_specialist"]}, "email", "254 characters"),
    ({"email": "", "roles": ["finance_specialist"]}, "email", "blank"),
    ({"roles": ["finance_specialist"]}, "email", "required"),
    ({"email": ["a@example.com"], "roles": ["finance_specialist"]}, "email", "valid string"),
]


def _nothing_written(before):
    assert Invitation.objects.count() == before["invitations"]
    assert EmailLink.objects.count() == before["links"]
    assert SecurityEvent.objects.filter(kind=EventKind.INVITATION_SENT).count() == before["events"]
    assert sum(RateCounter.objects.values_list("count", flat=True)) == before["counted"]


def _counts():
    return {
        "invitations": Invitation.objects.count(),
        "links": EmailLink.objects.count(),
        "events": SecurityEvent.objects.filter(kind=EventKind.INVITATION_SENT).count(),
        "counted": sum(RateCounter.objects.values_list("count", flat=True)),
    }


@pytest.mark.parametrize(("body", "field", "words"), BAD_INVITATIONS)
def test_bad_input_is_400_with_the_fields_error_and_writes_nothing(
    body, field, words, taken, owner_client, api, mailoutbox, commits
):
    before, mails = _counts(), len(mailoutbox)
    with commits():
        response = api(owner_client)("post", "shops/demo-shop/members", body)

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert words in str(errors[field]), errors
    _nothing_written(before)
    assert len(mailoutbox) == mails


def test_a_body_that_is_not_an_object_is_400(owner_client, api):
    for body in (["a@example.com"], "a@example.com", 42):
        assert api(owner_client)("post", "shops/demo-shop/members", body).status_code == 400
    assert not Invitation.objects.exists()


def test_the_owner_role_and_unknown_roles_are_named_in_the_message(owner_client, api):
    owner_role = api(owner_client)(
        "post", "shops/demo-shop/members", {"email": "a@example.com", "roles": ["owner"]}
    )
    unknown = api(owner_client)(
        "post", "shops/demo-shop/members", {"email": "a@example.com", "roles": ["wizard"]}
    )
    assert "a shop has one owner" in owner_role.json()["errors"]["roles"][0]
    assert "Unknown role: wizard" in unknown.json()["errors"]["roles"][0]


def test_the_page_shows_bad_input_on_its_fields_and_writes_nothing(taken, owner_client):
    before = _counts()
    response = owner_client.post("/shop/demo-shop/users/add/", {"email": "member@example.com", "roles": []})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one role." in page
    response = owner_client.post(
        "/shop/demo-shop/users/add/", {"email": "member@example.com", "roles": ["finance_specialist"]}
    )
    assert response.status_code == 400
    assert "already a member of Demo Shop" in response.content.decode()
    _nothing_written(before)


def test_the_preview_button_renders_what_the_roles_open_without_script_and_writes_nothing(owner_client):
    response = owner_client.post(
        "/shop/demo-shop/users/add/",
        {
            "email": "a@example.com",
            "roles": ["finance_specialist", "order_fulfilment_specialist"],
            "preview": "1",
        },
    )
    page = response.content.decode()
    preview = page[page.index("This person will be able to") :].split("</section>")[0]
    shown = [
        item.split(">", 1)[1] for item in preview.split("<li ")[1:] if " hidden" not in item.split(">")[0]
    ]
    assert response.status_code == 200
    assert any("Open Finance" in item for item in shown)
    assert any("Open Orders" in item for item in shown)
    assert not any("Open Products" in item for item in shown)
    assert not Invitation.objects.exists()


def test_invitations_outside_the_companys_domains_are_refused_with_a_clear_message(shop, owner_client, api):
    shop.invite_domains = ["demo.example"]
    shop.save()
    refused = api(owner_client)(
        "post", "shops/demo-shop/members", {"email": "a@gmail.com", "roles": ["finance_specialist"]}
    )
    accepted = api(owner_client)(
        "post", "shops/demo-shop/members", {"email": "a@Demo.Example", "roles": ["finance_specialist"]}
    )

    assert refused.status_code == 400
    assert "use an address at demo.example" in refused.json()["errors"]["email"][0]
    assert accepted.status_code == 201


def test_setting_domains_revokes_pending_invitations_to_other_domains(shop, owner_client, invite, api):
    outside, outside_token = invite("a@gmail.com")
    inside, _ = invite("b@demo.example")

    response = api(owner_client)(
        "patch", "shops/demo-shop/settings", {"invite_domains": ["Demo.example", "@shop.example"]}
    )

    assert response.status_code == 200
    assert response.json()["invite_domains"] == ["demo.example", "shop.example"]
    outside.refresh_from_db()
    inside.refresh_from_db()
    assert (outside.status, inside.status) == (InvitationStatus.REVOKED, InvitationStatus.PENDING)
    assert "This invitation was withdrawn" in open_email_link(Client(), outside_token).content.decode()
    assert (
        SecurityEvent.objects.get(kind=EventKind.SHOP_INVITE_DOMAINS_CHANGED).details["invitations_revoked"]
        == 1
    )


@pytest.mark.parametrize(
    "domains", [["not a domain"], ["-bad.example"], ["x" * 300 + ".example"], ["localhost"], "a.example", [1]]
)
def test_malformed_domains_are_400_and_change_nothing(domains, shop, owner_client, api):
    response = api(owner_client)("patch", "shops/demo-shop/settings", {"invite_domains": domains})
    assert response.status_code == 400
    assert "invite_domains" in response.json()["errors"]
    shop.refresh_from_db()
    assert shop.invite_domains == []


def test_resending_gives_a_new_link_and_kills_the_old_one(
    owner_with_totp, fully_signed_in, invite, api, commits, mailoutbox
):
    invitation, old_token = invite("fin@example.com")
    with time_machine.travel(timezone.now() + timedelta(hours=10)), commits():
        owner = api(fully_signed_in(owner_with_totp))
        response = owner("post", f"shops/demo-shop/invitations/{invitation.pk}/resend")
    assert response.status_code == 200
    new_token = email_link_tokens(mailoutbox[-1].body)[0]
    assert new_token != old_token
    invitation.refresh_from_db()
    assert invitation.expires - invitation.created > timedelta(hours=81)

    old = open_email_link(Client(), old_token)
    assert old.status_code == 410 and "newer e-mail replaced" in old.content.decode()
    assert open_email_link(Client(), new_token)["Location"] == "/invitations/accept/"
    assert SecurityEvent.objects.filter(kind=EventKind.INVITATION_RESENT).count() == 1


def test_an_expired_invitation_is_listed_as_expired_and_can_be_sent_again(
    owner_with_totp, fully_signed_in, invite, api, commits
):
    invitation, _ = invite("fin@example.com")
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        owner_client = fully_signed_in(owner_with_totp)
        listed = api(owner_client)("get", "shops/demo-shop/invitations").json()["results"][0]
        page = owner_client.get("/shop/demo-shop/users/invitations/").content.decode()
        assert listed["status"] == "expired"
        assert "Expired" in page.split("<tbody>")[1]
        with commits():
            resent = api(owner_client)("post", f"shops/demo-shop/invitations/{invitation.pk}/resend")
        assert resent.status_code == 200 and resent.json()["status"] == "pending"


def test_inviting_an_address_whose_invitation_expired_replaces_it(
    owner_with_totp, fully_signed_in, invite, api
):
    old, _ = invite("fin@example.com")
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        response = api(fully_signed_in(owner_with_totp))(
            "post", "shops/demo-shop/members", {"email": "fin@example.com", "roles": ["main_admin"]}
        )
    assert response.status_code == 201
    old.refresh_from_db()
    assert old.status == InvitationStatus.EXPIRED
    assert Invitation.objects.filter(status=InvitationStatus.PENDING).count() == 1


def test_revoking_kills_the_link_at_once_and_twice_is_409(owner_client, invite, api):
    invitation, token = invite("fin@example.com")

    first = api(owner_client)("delete", f"shops/demo-shop/invitations/{invitation.pk}")
    second = api(owner_client)("delete", f"shops/demo-shop/invitations/{invitation.pk}")

    assert first.status_code == 204
    assert second.status_code == 409 and second.json()["code"] == "invitation_closed"
    assert open_email_link(Client(), token).status_code == 410
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert SecurityEvent.objects.filter(kind=EventKind.INVITATION_REVOKED).count() == 1
    assert api(owner_client)("get", "shops/demo-shop/invitations").json()["count"] == 0


def test_revoking_and_resending_from_the_page_ask_first(owner_client, invite, commits):
    invitation, _ = invite("fin@example.com")
    url = f"/shop/demo-shop/users/invitations/{invitation.pk}/revoke/"
    assert "Revoke the invitation to fin@example.com?" in owner_client.get(url).content.decode()
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert owner_client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


def test_invitations_and_resends_are_limited_per_shop(
    settings, owner_client, api, other_shop, commits, fully_signed_in
):
    settings.TEAM_INVITATION_RATE = "2/hour"
    call = api(owner_client)
    with commits():
        first = call("post", "shops/demo-shop/members", {"email": "a@example.com", "roles": ["main_admin"]})
        call("post", f"shops/demo-shop/invitations/{first.json()['id']}/resend")
        third = call("post", "shops/demo-shop/members", {"email": "b@example.com", "roles": ["main_admin"]})

    assert third.status_code == 429
    assert third.json()["code"] == "throttled" and int(third["Retry-After"]) > 0
    assert not Invitation.objects.filter(email="b@example.com").exists()
    # Another shop has its own allowance.
    other_owner = api(fully_signed_in(add_totp(other_shop.owner), client=Client()))
    assert (
        other_owner(
            "post", "shops/other-shop/members", {"email": "c@example.com", "roles": ["main_admin"]}
        ).status_code
        == 201
    )


def test_the_page_says_when_the_shop_sent_too_many_invitations(settings, owner_client):
    settings.TEAM_INVITATION_RATE = "1/hour"
    owner_client.post("/shop/demo-shop/users/add/", {"email": "a@example.com", "roles": ["main_admin"]})
    response = owner_client.post(
        "/shop/demo-shop/users/add/", {"email": "b@example.com", "roles": ["main_admin"]}
    )
    assert response.status_code == 429 and response["Retry-After"]
    assert "Too many e-mails of this kind" in response.content.decode()


def test_nobody_gives_a_grant_they_lack(shop):
    """The general rule, whoever holds users.manage: the service compares the grants."""
    acting = MembershipFactory(shop=shop, roles=["finance_specialist"])
    # Suppose this member could invite: only the comparison of grants stands in the way.
    acting.__dict__["grants"] = ROLES["finance_specialist"].grants | {Grant.USERS_MANAGE}

    with pytest.raises(GrantNotHeld, match=r"marketing\.manage, marketing\.view"):
        invitations.invite(
            acting, email="m@example.com", roles=["marketing_specialist"], context=RequestContext()
        )
    invitations.invite(acting, email="f@example.com", roles=["finance_specialist"], context=RequestContext())
    assert list(Invitation.objects.values_list("email", flat=True)) == ["f@example.com"]


def _freeze(user, scope):
    from security.freeze import FreezeOrigin, freeze_account

    freeze_account(
        user, scope=scope, origin=FreezeOrigin.ALERT_LINK, reason="This wasn't me", context=RequestContext()
    )


def test_a_full_freeze_of_the_inviter_withdraws_their_pending_invitations(shop, invite, api, commits):
    from accounts.models import FreezeScope
    from security.event_text import sentence

    invitation, token = invite("attacker@example.com")
    with commits():
        _freeze(shop.owner, FreezeScope.FULL)

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    refused = open_email_link(Client(), token)
    assert refused.status_code == 410
    assert "This invitation was withdrawn. Ask the shop owner for a new one" in refused.content.decode()
    accepted = api()("post", "invitations/accept", {"token": token, "password": "a long Pass phrase 42!"})
    assert accepted.status_code == 410 and "was withdrawn" in accepted.json()["detail"]
    assert not Membership.objects.filter(user__email="attacker@example.com").exists()
    event = SecurityEvent.objects.get(kind=EventKind.INVITATION_REVOKED)
    assert event.details["reason"] == "account_frozen"
    assert (
        sentence(event.kind, event.details)
        == f"The invitation to {invitation.email} was withdrawn because the account was frozen."
    )


def test_an_unproven_freeze_leaves_pending_invitations_valid(shop, invite):
    from accounts.models import FreezeScope

    invitation, token = invite("fin@example.com")
    _freeze(shop.owner, FreezeScope.UNPROVEN)

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert open_email_link(Client(), token)["Location"] == "/invitations/accept/"


def test_an_owner_revoked_invitations_link_says_it_was_withdrawn(owner_client, invite, api):
    invitation, token = invite("fin@example.com")
    api(owner_client)("delete", f"shops/demo-shop/invitations/{invitation.pk}")
    page = open_email_link(Client(), token).content.decode()
    assert "This invitation was withdrawn" in page and "newer e-mail" not in page
