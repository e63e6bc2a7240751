"""Becoming a seller: sign-up with the address confirmed by an e-mailed link before the shop opens,
the same answer whether or not the address is taken, a per-IP rate limit; opening another shop from
the shop chooser; leaving a shop (SPEC §5)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, Shop, SignupRequest, User
from audit.models import EventKind, SecurityEvent
from tests.conftest import email_link_tokens, open_email_link
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SELLER_PASSWORD = "Wq9!teal-Harbor"


def form(**changes):
    return {
        "email": "new.seller@example.com",
        "shop_name": "Tea Garden",
        "new_password": SELLER_PASSWORD,
        "new_password_again": SELLER_PASSWORD,
        **changes,
    }


@pytest.fixture
def sign_up(commits, mailoutbox):
    """sign_up(**changes) → (response, the token e-mailed to that address or None)."""

    def submit(browser=None, **changes):
        browser = browser or Client()
        before = len(mailoutbox)
        with commits():
            response = browser.post("/signup/", form(**changes))
        sent = [m for m in mailoutbox[before:] if m.to == [form(**changes)["email"]]]
        tokens = email_link_tokens(sent[-1].body) if sent else []
        return response, (tokens[0] if tokens else None)

    return submit


def test_the_login_page_leads_to_sign_up(client):
    assert 'href="/signup/"' in client.get("/login/").content.decode()
    page = client.get("/signup/").content.decode()
    assert 'name="shop_name"' in page and "data-password-meter" in page


def test_a_new_seller_confirms_the_address_then_lands_on_the_dashboard_of_the_open_shop(sign_up, mailoutbox):
    response, token = sign_up()

    assert response.status_code == 302 and response["Location"] == "/signup/sent/"
    assert not User.objects.filter(email="new.seller@example.com").exists()
    assert not Shop.objects.filter(name="Tea Garden").exists()
    assert "Confirm your e-mail to open Tea Garden" in mailoutbox[-1].subject
    assert token

    browser = Client()
    assert open_email_link(browser, token)["Location"] == "/signup/confirm/"
    page = browser.get("/signup/confirm/").content.decode()
    assert "Open Tea Garden" in page and "new.seller@example.com" in page
    response = browser.post("/signup/confirm/", {"password": SELLER_PASSWORD})

    shop = Shop.objects.get(name="Tea Garden")
    assert response.status_code == 302 and response["Location"] == f"/shop/{shop.slug}/"
    assert shop.slug == "tea-garden" and shop.owner.email == "new.seller@example.com"
    assert shop.owner.check_password(SELLER_PASSWORD)
    assert Membership.objects.filter(shop=shop, user=shop.owner).exists()
    dashboard = browser.get(f"/shop/{shop.slug}/")
    assert dashboard.status_code == 200 and "Tea Garden" in dashboard.content.decode()
    kinds = set(SecurityEvent.objects.filter(user=shop.owner).values_list("kind", flat=True))
    assert {EventKind.ACCOUNT_CREATED, EventKind.SHOP_CREATED, EventKind.LOGIN_SUCCESS} <= kinds
    assert not SignupRequest.objects.exists()


def test_the_answer_is_the_same_whether_or_not_the_address_is_taken_and_the_owner_is_emailed(
    sign_up, mailoutbox, password
):
    existing = UserFactory(email="taken@example.com", anti_phishing_phrase="silver owl")
    browser_new, browser_taken = Client(), Client()
    new, new_token = sign_up(browser_new, email="free@example.com")
    taken, taken_token = sign_up(browser_taken, email="taken@example.com")

    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert browser_new.get("/signup/sent/").content.decode().replace("free@", "X@") == browser_taken.get(
        "/signup/sent/"
    ).content.decode().replace("taken@", "X@")
    assert new_token and taken_token is None
    (notice,) = [m for m in mailoutbox if m.to == ["taken@example.com"]]
    assert "tried to sign up" in notice.subject and "silver owl" in notice.body
    assert "/login/" in notice.body
    existing.refresh_from_db()
    assert existing.check_password(password)
    assert not SignupRequest.objects.filter(email="taken@example.com").exists()
    assert SecurityEvent.objects.filter(user=existing, kind=EventKind.SIGNUP_EXISTING_ACCOUNT).count() == 1


def test_someone_elses_sign_up_with_your_address_never_becomes_your_account(sign_up):
    """Pre-account takeover: each sign-up keeps its own password, and confirming asks for it."""
    _, attackers_token = sign_up(
        email="victim@example.com", new_password="Att4ck!er-pass", new_password_again="Att4ck!er-pass"
    )
    _, victims_token = sign_up(email="victim@example.com")

    # The victim opens the attacker's link by mistake: their own password does not open it.
    victim = Client()
    open_email_link(victim, attackers_token)
    refused = victim.post("/signup/confirm/", {"password": SELLER_PASSWORD})
    assert refused.status_code == 400 and "not the password you chose" in refused.content.decode()
    assert not User.objects.filter(email="victim@example.com").exists()

    open_email_link(victim, victims_token)
    assert victim.post("/signup/confirm/", {"password": SELLER_PASSWORD}).status_code == 302
    account = User.objects.get(email="victim@example.com")
    assert account.check_password(SELLER_PASSWORD)

    attacker = Client()
    open_email_link(attacker, attackers_token)
    assert attacker.post("/signup/confirm/", {"password": "Att4ck!er-pass"}).status_code == 410
    account.refresh_from_db()
    assert account.check_password(SELLER_PASSWORD) and not account.check_password("Att4ck!er-pass")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"new_password": "password1!", "new_password_again": "password1!"}, "common"),
        ({"new_password": "TeaGarden!2026", "new_password_again": "TeaGarden!2026"}, "shop"),
        ({"new_password": "abcd!1234XYZ", "new_password_again": "abcd!1234XYZ"}, "abcd"),
        ({"new_password_again": "Wq9!teal-Harbour"}, "differ"),
        ({"email": "not-an-address"}, "valid email"),
        ({"email": "x" * 300 + "@example.com"}, "254"),
        ({"shop_name": ""}, "required"),
        ({"shop_name": "x"}, "at least 2"),
        ({"shop_name": "x" * 10_240}, "120"),
        ({"shop_name": "Tea\x00Garden"}, "null characters"),
        ({"shop_name": "Tea\u200bGarden"}, "letters"),
    ],
)
def test_bad_sign_ups_are_refused_with_a_clear_message_and_write_nothing(changes, words, sign_up, mailoutbox):
    response, token = sign_up(**changes)
    assert response.status_code == 400
    assert words.lower() in response.content.decode().lower()
    assert token is None and not SignupRequest.objects.exists() and not mailoutbox


def test_sign_ups_are_rate_limited_per_ip(settings, sign_up):
    settings.SIGNUP_RATE = "2/hour"
    statuses = [sign_up(email=f"s{n}@example.com")[0].status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    last, _ = sign_up(email="other@example.com")
    assert int(last["Retry-After"]) > 0
    assert SignupRequest.objects.count() == 2


def test_one_address_gets_a_few_emails_an_hour_whatever_the_ips(sign_up, mailoutbox):
    answers = [sign_up(email="target@example.com", REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)]
    assert {response["Location"] for response, _ in answers} == {"/signup/sent/"}
    assert len([m for m in mailoutbox if m.to == ["target@example.com"]]) == 3


def test_the_confirmation_link_works_once_and_for_24_hours(sign_up):
    _, token = sign_up()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert open_email_link(Client(), token).status_code == 410
    browser = Client()
    open_email_link(browser, token)
    assert browser.post("/signup/confirm/", {"password": SELLER_PASSWORD}).status_code == 302
    assert open_email_link(Client(), token).status_code == 410
    assert Shop.objects.filter(name="Tea Garden").count() == 1


def test_confirming_while_signed_in_as_someone_else_changes_nothing(sign_up, signed_in):
    _, token = sign_up()
    browser = signed_in(UserFactory(email="someone@example.com"))
    open_email_link(browser, token)
    response = browser.post("/signup/confirm/", {"password": SELLER_PASSWORD})
    assert response.status_code == 403
    assert "signed in as someone@example.com" in response.content.decode()
    assert not User.objects.filter(email="new.seller@example.com").exists()


def test_a_signed_in_seller_is_sent_to_open_another_shop_instead(signed_in, owner):
    response = signed_in(owner).get("/signup/")
    assert response["Location"] == "/shops/"


def test_a_signed_in_seller_opens_another_shop_from_the_shop_chooser(shop, owner, signed_in):
    browser = signed_in(owner)
    chooser = browser.get("/shops/").content.decode()
    assert "Open another shop" in chooser and 'action="/shops/new/"' in chooser

    response = browser.post("/shops/new/", {"name": "  Demo   Shop "})

    second = Shop.objects.exclude(pk=shop.pk).get()
    assert (second.name, second.slug, second.owner) == ("Demo Shop", "demo-shop-2", owner)
    assert response["Location"] == "/shop/demo-shop-2/"
    assert browser.get("/shop/demo-shop-2/users/").status_code == 200
    assert SecurityEvent.objects.filter(kind=EventKind.SHOP_CREATED, shop=second).exists()


@pytest.mark.parametrize(("name", "status"), [("", 400), ("x", 400), ("x" * 10_240, 400), ("\x00\x01", 400)])
def test_a_bad_shop_name_is_refused(name, status, owner, signed_in):
    assert signed_in(owner).post("/shops/new/", {"name": name}).status_code == status
    assert Shop.objects.count() == 1


def test_opening_shops_is_rate_limited_per_person(settings, owner, signed_in):
    settings.SHOP_CREATION_RATE = "2/day"
    browser = signed_in(owner)
    statuses = [browser.post("/shops/new/", {"name": f"Branch {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_a_member_leaves_a_shop_from_the_shop_chooser(shop, member_with, signed_in, commits, mailoutbox):
    member = member_with("finance_specialist")
    browser = signed_in(member)
    assert 'href="/shop/demo-shop/leave/"' in browser.get("/shops/").content.decode()
    assert "Leave Demo Shop?" in browser.get("/shop/demo-shop/leave/").content.decode()

    with commits():
        response = browser.post("/shop/demo-shop/leave/")

    assert response["Location"] == "/shops/"
    assert not Membership.objects.filter(user=member, shop=shop).exists()
    assert browser.get("/shop/demo-shop/").status_code == 404
    assert SecurityEvent.objects.get(kind=EventKind.MEMBER_LEFT).shop == shop
    assert any(f"{member.email} left" in m.subject for m in mailoutbox if m.to == [shop.owner.email])


def test_leaving_needs_no_two_step_even_where_the_shop_requires_it(
    shop_requiring_2sv, member_with, signed_in, api
):
    member = member_with("finance_specialist")
    client = signed_in(member)
    assert client.get("/shop/demo-shop/")["Location"] == "/account/security/2sv/totp/"
    assert api(client)("delete", "shops/demo-shop/membership").status_code == 204
    assert not Membership.objects.filter(user=member).exists()


def test_the_owner_cannot_leave_and_a_stranger_finds_no_shop(shop, owner, signed_in, api, other_shop):
    owner_api = api(signed_in(owner))
    refused = owner_api("delete", "shops/demo-shop/membership")
    assert refused.status_code == 409 and refused.json()["code"] == "owner_cannot_leave"
    assert owner_api("delete", "shops/other-shop/membership").status_code == 404
    assert "cannot leave" in signed_in(owner, client=Client()).post("/shop/demo-shop/leave/").content.decode()
    assert Membership.objects.filter(user=owner, shop=shop).exists()


def test_the_owner_is_not_offered_to_leave_their_own_shop(shop, owner, signed_in):
    MembershipFactory(user=owner, roles=["main_admin"])
    chooser = signed_in(owner).get("/shops/").content.decode()
    assert 'href="/shop/demo-shop/leave/"' not in chooser
    assert chooser.count("/leave/") == 1


def test_a_name_without_letters_or_a_taken_one_still_gets_a_free_address(owner, signed_in):
    browser = signed_in(owner)
    for _ in range(2):
        browser.post("/shops/new/", {"name": "¡¡ !!"})
    assert sorted(Shop.objects.filter(name="¡¡ !!").values_list("slug", flat=True)) == ["shop", "shop-2"]
