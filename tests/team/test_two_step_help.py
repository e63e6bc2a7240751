"""The owner helps members with two-step verification: sees who has it, reminds those without it,
resets it for a member who lost their phone and codes, and sets the shop-wide requirement, whose
removal e-mails every member (SPEC §5, §6)."""

import pytest
from django.test import Client

from accounts.models import Membership
from accounts.selectors import two_step_enabled
from audit.models import EventKind, SecurityEvent
from tests.conftest import add_totp, totp_code
from tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_phone(shop, password, fully_signed_in):
    """A member with an authenticator app, signed in on their own browser."""
    person = add_totp(UserFactory(email="lost@example.com"))
    membership = MembershipFactory(shop=shop, user=person, roles=["order_fulfilment_specialist"])
    membership.browser = fully_signed_in(person, client=Client())
    return membership


def mails_to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def test_the_owner_resets_a_members_two_step_after_confirming(
    shop_requiring_2sv, lost_phone, owner_client, commits, mailoutbox, password
):
    url = f"/shop/demo-shop/users/{lost_phone.pk}/reset-two-step/"
    page = owner_client.get(url).content.decode()
    assert "lost their phone <em>and</em> their recovery codes" in page
    assert two_step_enabled(lost_phone.user)

    with commits():
        response = owner_client.post(url, {"reason": "Phone fell in the river"})

    assert response["Location"] == f"/shop/demo-shop/users/{lost_phone.pk}/"
    assert not two_step_enabled(lost_phone.user)
    # Every session of the member ended.
    assert lost_phone.browser.get("/shop/demo-shop/")["Location"].startswith("/login/")
    reset = SecurityEvent.objects.get(kind=EventKind.TWO_STEP_RESET)
    logged = SecurityEvent.objects.get(kind=EventKind.MEMBER_TWO_STEP_RESET)
    assert reset.details["reason"] == logged.details["reason"] == "Phone fell in the river"
    assert logged.shop == shop_requiring_2sv
    to_member = mails_to(mailoutbox, "lost@example.com")[-1]
    to_owner = mails_to(mailoutbox, shop_requiring_2sv.owner.email)[-1]
    assert (
        "two-step verification was reset" in to_member.subject and "Phone fell in the river" in to_member.body
    )
    assert "lost@example.com's two-step verification was reset" in to_owner.subject
    # At the next sign-in the shop sends them to enrol again.
    browser = Client()
    browser.post("/login/", {"email": "lost@example.com", "password": password})
    assert browser.get("/shop/demo-shop/")["Location"] == "/account/security/2sv/totp/"


def test_the_api_resets_and_answers_with_the_member(lost_phone, owner_client, api):
    response = api(owner_client)(
        "post", f"shops/demo-shop/members/{lost_phone.pk}/reset-two-step", {"reason": "x"}
    )
    assert response.status_code == 200 and response.json()["two_step_enabled"] is False
    again = api(owner_client)("post", f"shops/demo-shop/members/{lost_phone.pk}/reset-two-step")
    assert again.status_code == 409 and again.json()["code"] == "two_step_not_enabled"


@pytest.mark.parametrize("elsewhere", ["member of another shop", "owner of another shop", "staff"])
def test_an_account_used_beyond_the_shop_is_not_reset_by_its_owner(
    elsewhere, shop, lost_phone, owner_client, api
):
    person = lost_phone.user
    if elsewhere == "member of another shop":
        MembershipFactory(user=person, shop=ShopFactory(), roles=["main_admin"])
    elif elsewhere == "owner of another shop":
        ShopFactory(owner=person)
    else:
        person.is_staff = True
        person.save()

    response = api(owner_client)("post", f"shops/demo-shop/members/{lost_phone.pk}/reset-two-step")
    page = owner_client.get(f"/shop/demo-shop/users/{lost_phone.pk}/").content.decode()

    assert response.status_code == 403 and response.json()["code"] == "reset_not_allowed"
    assert "/recover/" in response.json()["detail"]
    assert "cannot be reset from here" in page
    assert two_step_enabled(person)


def test_the_owners_own_two_step_is_not_reset_here(shop, owner_client, api):
    owner_membership = Membership.objects.get(shop=shop, user=shop.owner)
    response = api(owner_client)("post", f"shops/demo-shop/members/{owner_membership.pk}/reset-two-step")
    assert response.status_code == 403 and response.json()["code"] == "owner_protected"
    assert two_step_enabled(shop.owner)


def test_a_reminder_is_emailed_to_a_member_without_two_step(shop, owner_client, commits, mailoutbox):
    member = MembershipFactory(
        shop=shop, user=UserFactory(email="late@example.com", anti_phishing_phrase="red fox")
    )
    page = owner_client.get("/shop/demo-shop/users/").content.decode()
    row = page[page.index("late@example.com") :].split("</tr>")[0]
    assert "Remind to enrol" in row

    with commits():
        response = owner_client.post(
            f"/shop/demo-shop/users/{member.pk}/remind/", {"next": "/shop/demo-shop/users/"}
        )

    assert response["Location"] == "/shop/demo-shop/users/"
    (mail,) = mails_to(mailoutbox, "late@example.com")
    assert "Turn on two-step verification for Demo Shop" in mail.subject
    assert "red fox" in mail.body and "never ask for your password" in mail.body
    assert SecurityEvent.objects.get(kind=EventKind.MEMBER_TWO_STEP_REMINDED).shop == shop


def test_no_reminder_for_a_member_who_has_two_step(lost_phone, owner_client, api, mailoutbox):
    response = api(owner_client)("post", f"shops/demo-shop/members/{lost_phone.pk}/remind")
    assert response.status_code == 409 and response.json()["code"] == "two_step_already_enabled"
    assert not mails_to(mailoutbox, "lost@example.com")


def test_reminders_are_limited_per_shop(settings, shop, owner_client, api, commits):
    settings.TEAM_REMINDER_RATE = "2/hour"
    members = [MembershipFactory(shop=shop) for _ in range(3)]
    with commits():
        statuses = [
            api(owner_client)("post", f"shops/demo-shop/members/{m.pk}/remind").status_code for m in members
        ]
    assert statuses == [202, 202, 429]
    assert SecurityEvent.objects.filter(kind=EventKind.MEMBER_TWO_STEP_REMINDED).count() == 2


def test_turning_the_requirement_off_needs_a_fresh_step_and_emails_every_member(
    shop_requiring_2sv, owner_client, api, commits, mailoutbox, later
):
    members = [MembershipFactory(shop=shop_requiring_2sv).user for _ in range(3)]
    suspended = MembershipFactory(shop=shop_requiring_2sv, status="suspended").user
    owner = api(owner_client)
    later(11)
    stale = owner("patch", "shops/demo-shop/settings", {"require_two_step": False})
    assert stale.status_code == 403 and stale.json()["code"] == "step_up_required"
    shop_requiring_2sv.refresh_from_db()
    assert shop_requiring_2sv.require_two_step

    assert (
        owner(
            "post", "account/2sv/step-up", {"method": "totp", "code": totp_code(shop_requiring_2sv.owner, 1)}
        ).status_code
        == 200
    )
    with commits():
        response = owner("patch", "shops/demo-shop/settings", {"require_two_step": False})

    assert response.status_code == 200 and response.json()["require_two_step"] is False
    told = {m.to[0] for m in mailoutbox if "no longer requires two-step verification" in m.subject}
    assert told == {u.email for u in [*members, suspended, shop_requiring_2sv.owner]}
    assert SecurityEvent.objects.filter(kind=EventKind.SHOP_TWO_STEP_OPTIONAL).count() == 1


def test_requiring_it_from_the_settings_page_emails_the_members(shop, owner_client, commits, mailoutbox):
    member = MembershipFactory(shop=shop).user
    page = owner_client.get("/shop/demo-shop/users/settings/").content.decode()
    assert "Require two-step verification" in page and "Your company's e-mail domains" in page

    with commits():
        response = owner_client.post("/shop/demo-shop/settings/two-step/", {"require": "on"})

    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.require_two_step
    assert any("now requires two-step verification" in m.subject for m in mails_to(mailoutbox, member.email))


@pytest.mark.parametrize(
    "body",
    [
        {"require_two_step": "maybe"},
        {"require_two_step": None},
        {"invite_domains": "x" * 10_240},
        {"invite_domains": ["a.example"] * 30},
    ],
)
def test_bad_settings_are_400_and_change_nothing(body, shop, owner_client, api):
    response = api(owner_client)("patch", "shops/demo-shop/settings", body)
    assert response.status_code == 400
    shop.refresh_from_db()
    assert (shop.require_two_step, shop.invite_domains) == (False, [])


def test_the_members_list_reminds_through_one_form_for_all_rows(shop, owner_client, commits, mailoutbox):
    member = MembershipFactory(shop=shop, user=UserFactory(email="late@example.com"))
    page = owner_client.get("/shop/demo-shop/users/").content.decode()
    assert page.count('id="remind-form"') == 1
    assert f'form="remind-form" name="member" value="{member.pk}"' in page

    with commits():
        response = owner_client.post("/shop/demo-shop/users/remind/", {"member": str(member.pk)})

    assert response.status_code == 302
    assert any(m.to == ["late@example.com"] for m in mailoutbox)
    for bad in ("", "abc", "x" * 10_240, str(member.pk + 1000)):
        assert owner_client.post("/shop/demo-shop/users/remind/", {"member": bad}).status_code == 404
