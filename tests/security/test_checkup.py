"""The security check-up: a score and next steps on the dashboard and Account Security, each one click
away; items are a registry other apps add to; owners without two-step verification are prompted on
every page of their shop."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, Membership
from commerce.models import PayoutAccount
from permissions.registry import MODULES
from security import checkup
from security.models import PasswordVerdict, UserSession
from tests.conftest import add_totp
from tests.factories import MembershipFactory, PayoutAccountFactory, ShopFactory

pytestmark = pytest.mark.django_db

PROMPT = 'id="two-step-prompt-heading"'


def steps(page: str) -> list[str]:
    """The keys of the check-up's next steps, in order."""
    todo = page.split('class="checkup-steps"', 1)[1].split("</ol>", 1)[0] if "checkup-steps" in page else ""
    return re.findall(r'data-checkup-item="([^"]+)"', todo)


def done(page: str) -> list[str]:
    part = (
        page.split('class="checkup-done"', 1)[1].split("</details>", 1)[0] if "checkup-done" in page else ""
    )
    return re.findall(r'data-checkup-item="([^"]+)"', part)


def score(page: str) -> int:
    return int(re.search(r'class="checkup-score"><strong>(\d+)</strong>', page).group(1))


@pytest.fixture
def secured_owner(owner, shop):
    """An owner who did everything: app, codes, phrase, a member with the app, the shop requirement."""
    add_totp(owner)
    owner.anti_phishing_phrase = "blue heron"
    owner.save()
    add_totp(MembershipFactory(shop=shop, roles=["main_admin"]).user)
    shop.require_two_step = True
    shop.save()
    return owner


def test_a_new_owner_sees_their_score_and_the_most_important_step_first(signed_in, owner, shop):
    MembershipFactory(shop=shop, roles=["finance_specialist"])
    page = signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()
    assert "Security check-up" in page
    assert steps(page) == [
        "security.two_step",
        "security.members_two_step",
        "security.anti_phishing_phrase",
        "security.shop_requirement",
    ]
    assert done(page) == ["security.password", "security.sessions"]
    # 3 of 10 weight points are done: the password (2) and the sessions (1).
    assert score(page) == 30
    assert 'href="/account/security/2sv/totp/">Turn it on' in page
    assert "1 member of Demo Shop without two-step verification" in page
    assert 'href="/shop/demo-shop/users/">See members' in page
    assert 'href="/account/information/#anti-phishing">Set a phrase' in page


def test_an_owner_who_did_everything_scores_100(fully_signed_in, secured_owner, shop):
    page = fully_signed_in(secured_owner).get(f"/shop/{shop.slug}/").content.decode()
    assert score(page) == 100
    assert steps(page) == []
    assert "All done." in page
    assert PROMPT not in page


def test_a_member_sees_only_their_own_account_items(signed_in, member_with, shop):
    member = member_with("marketing_specialist")
    page = signed_in(member).get(f"/shop/{shop.slug}/").content.decode()
    keys = steps(page) + done(page)
    assert "security.members_two_step" not in keys and "security.shop_requirement" not in keys
    assert "security.two_step" in keys
    assert PROMPT not in page, "the prompt on every page is for owners"


def test_each_step_goes_away_once_done(signed_in, owner, shop, password):
    client = signed_in(owner)
    client.post("/account/information/anti-phishing/", {"phrase": "blue heron"})
    page = client.get(f"/shop/{shop.slug}/").content.decode()
    assert "security.anti_phishing_phrase" in done(page)


def test_running_out_of_recovery_codes_is_a_step(fully_signed_in, user_with_totp, owner):
    from django_otp.plugins.otp_static.models import StaticToken

    client = fully_signed_in(user_with_totp)
    tokens = StaticToken.objects.filter(device__user=user_with_totp)
    tokens.filter(pk__in=list(tokens.values_list("pk", flat=True)[:8])).delete()
    page = client.get("/account/security/").content.decode()
    assert "Only 2 recovery codes left" in page
    assert "security.recovery_codes" in steps(page)
    tokens.all().delete()
    page = client.get("/account/security/").content.decode()
    assert "Make new recovery codes" in page


# The password verdict: learnt at sign-in and when set, since only a hash is kept.


def test_a_password_that_breaks_todays_rules_is_found_at_sign_in(client, user):
    user.set_password("password1")  # set before the rules, as an old account's might be
    user.save()
    client.post("/login/", {"email": user.email, "password": "password1"})
    assert PasswordVerdict.objects.get(user=user).passes is False
    page = client.get("/account/security/").content.decode()
    assert "security.password" in steps(page)
    assert "It breaks one of today&#x27;s password rules" in page
    assert "password1" not in page


def test_changing_the_password_marks_it_as_passing(signed_in, user, password):
    user.set_password("password1")
    user.save()
    client = Client()
    client.post("/login/", {"email": user.email, "password": "password1"})
    client.post(
        "/account/password/",
        {"current_password": "password1", "new_password": password, "new_password_again": password},
    )
    assert PasswordVerdict.objects.get(user=user).passes is True
    assert "security.password" in done(client.get("/account/security/").content.decode())


def test_a_birth_date_entered_after_the_check_makes_the_verdict_out_of_date(signed_in, user):
    client = signed_in(user)
    assert "security.password" in done(client.get("/account/security/").content.decode())
    client.post(
        "/account/information/",
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_of_birth": "1990-05-17",
            "time_zone": "UTC",
        },
    )
    page = client.get("/account/security/").content.decode()
    assert "Check your password against today&#x27;s rules" in page
    # The next sign-in checks it again, with the birth date: the factory's password passes.
    signed_in(user, client=Client())
    assert "security.password" in done(client.get("/account/security/").content.decode())


def test_a_sign_in_with_an_up_to_date_verdict_does_not_check_again(client, user, password):
    client.post("/login/", {"email": user.email, "password": password})
    first = PasswordVerdict.objects.get(user=user).checked_at
    Client().post("/login/", {"email": user.email, "password": password})
    assert PasswordVerdict.objects.get(user=user).checked_at == first


# Sessions left signed in for weeks (where the session bounds allow it).


def test_a_session_unused_for_weeks_is_a_step(signed_in, user, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(days=60)
    settings.SESSION_ABSOLUTE_TIMEOUT = timedelta(days=90)
    client = signed_in(user)
    old = timezone.now() - timedelta(days=20)
    Session.objects.create(
        session_key="old-laptop", session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    UserSession.objects.create(
        session_key="old-laptop", user=user, device="Firefox on Linux", created=old, last_seen=old
    )
    page = client.get("/account/security/").content.decode()
    assert "End 1 session unused for 2 weeks or more" in page
    assert 'href="/account/security/#sessions">Review sessions' in page


# Account Security covers the shops the person owns.


def test_account_security_shows_the_items_of_each_owned_shop(signed_in, owner, shop):
    second = ShopFactory(name="Second Shop", owner=owner)
    MembershipFactory(shop=second, roles=["main_admin"])
    page = signed_in(owner).get("/account/security/").content.decode()
    assert "Require two-step verification in Demo Shop" in page
    assert "Require two-step verification in Second Shop" in page
    assert "1 member of Second Shop without two-step verification" in page


# Other apps add items by registering them.


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(checkup, "_ITEMS", dict(checkup._ITEMS))


def test_an_item_registered_by_another_app_shows_and_counts(isolated_registry, signed_in, owner, shop):
    def pending_invitations(ctx, membership):
        if not membership.is_owner:
            return None
        return checkup.Finding(False, "2 invitations wait", "Revoke stale ones.", "Review", "/somewhere/")

    checkup.register(
        checkup.Item("team.pending_invitations", checkup.Scope.SHOP, pending_invitations, weight=5)
    )
    page = signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()
    assert steps(page)[0] == "team.pending_invitations", "the heaviest step comes first"
    assert 'href="/somewhere/">Review' in page
    assert score(page) == 23  # 3 of 13 points: the shop has no member besides its owner


def test_an_item_that_does_not_apply_counts_for_nothing(isolated_registry, signed_in, owner, shop):
    before = score(signed_in(owner).get(f"/shop/{shop.slug}/").content.decode())
    checkup.register(checkup.Item("other.nothing", checkup.Scope.ACCOUNT, lambda ctx: None, weight=50))
    assert score(signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()) == before


# The owner's prompt on every page of the shop until two-step verification is on.


def test_an_owner_without_two_step_is_prompted_on_every_page_of_the_shop(signed_in, owner, shop):
    client = signed_in(owner)
    paths = [f"/shop/{shop.slug}/", f"/shop/{shop.slug}/users/", f"/shop/{shop.slug}/security/"]
    paths += [f"/shop/{shop.slug}/{module.slug}/" for module in MODULES]
    for path in paths:
        page = client.get(path).content.decode()
        assert PROMPT in page, path
        assert 'href="/account/security/2sv/totp/">Turn it on now' in page
    add_totp(owner)
    assert PROMPT not in client.get(f"/shop/{shop.slug}/orders/").content.decode()


def test_a_new_owner_of_a_second_shop_is_prompted_there_too(signed_in, owner):
    second = ShopFactory(name="Second Shop", owner=owner)
    assert Membership.objects.filter(shop=second, user=owner).exists()
    page = signed_in(owner).get(f"/shop/{second.slug}/").content.decode()
    assert "You own Second Shop" in page


# Items the team and money apps register: pending invitations, a payout account changed recently.


def invitation(shop, email, *, expires_in):
    now = timezone.now()
    return Invitation.objects.create(
        shop=shop, email=email, roles=["finance_specialist"], sent_at=now, expires=now + expires_in
    )


def test_pending_invitations_are_a_step_for_the_owner_only(signed_in, owner, shop):
    member = MembershipFactory(shop=shop, roles=["main_admin"]).user
    assert "team.invitations" not in steps(signed_in(owner).get(f"/shop/{shop.slug}/").content.decode())

    invitation(shop, "new.hire@example.com", expires_in=timedelta(hours=72))
    invitation(shop, "old.friend@example.com", expires_in=-timedelta(hours=1))
    page = signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()
    assert "team.invitations" in steps(page)
    assert "2 invitations to Demo Shop wait for an answer" in page
    assert "1 of them ran out: resend it or revoke it." in page
    assert f'href="/shop/{shop.slug}/users/invitations/">Review invitations' in page
    assert "team.invitations" not in steps(signed_in(member).get(f"/shop/{shop.slug}/").content.decode())

    Invitation.objects.filter(shop=shop).update(status="revoked")
    assert "team.invitations" not in steps(signed_in(owner).get(f"/shop/{shop.slug}/").content.decode())


def test_a_payout_account_changed_this_week_is_a_step_until_the_week_is_over(signed_in, owner, shop):
    PayoutAccountFactory(shop=shop, status="replaced")
    client = signed_in(owner)
    assert "commerce.payout_account" not in steps(client.get(f"/shop/{shop.slug}/").content.decode())

    changed = PayoutAccountFactory(shop=shop, created=timezone.now() - timedelta(days=2, hours=1))
    page = client.get(f"/shop/{shop.slug}/").content.decode()
    assert "commerce.payout_account" in steps(page)
    assert "The payout account of Demo Shop changed 2\xa0days ago" in page
    assert f"Payouts now go to {changed.summary}" in page
    assert f'href="/shop/{shop.slug}/finance/payout-account/">Check the payout account' in page
    # Account Security lists it too, for each shop the person owns.
    assert "The payout account of Demo Shop changed" in client.get("/account/security/").content.decode()

    PayoutAccount.objects.filter(pk=changed.pk).update(created=timezone.now())
    assert (
        "The payout account of Demo Shop changed a moment ago"
        in client.get(f"/shop/{shop.slug}/").content.decode()
    )

    PayoutAccount.objects.filter(pk=changed.pk).update(created=timezone.now() - timedelta(days=8))
    assert "commerce.payout_account" not in steps(client.get(f"/shop/{shop.slug}/").content.decode())
