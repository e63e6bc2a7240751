"""Accepting an invitation: a new person sets names and a password (and enrols two-step
verification when the shop requires it); an existing user accepts while signed in; someone signed in
as another account is told so and nothing changes; a used, expired, revoked or tampered link is
refused; of two acceptances at once, one wins (SPEC §5, §10)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus, Membership, User
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from security.models import PasswordHistory
from security.passwords.changes import request_password_reset
from tests.conftest import email_link_tokens, open_email_link, totp_code
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "Kq7#vLm2!pWz"


def new_person_form(**changes):
    return {
        "first_name": "Fia",
        "last_name": "Nance",
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
        **changes,
    }


@pytest.mark.django_db
class TestANewPerson:
    def test_sets_names_and_a_password_joins_with_the_roles_and_lands_in_the_shop(
        self, shop, invite, commits, mailoutbox
    ):
        invitation, token = invite("fin@example.com", "finance_specialist")
        browser = Client()
        assert open_email_link(browser, token)["Location"] == "/invitations/accept/"
        page = browser.get("/invitations/accept/").content.decode()
        assert "Join Demo Shop" in page and "Finance specialist" in page
        assert "data-password-meter" in page and 'name="first_name"' in page

        with commits():
            response = browser.post("/invitations/accept/", new_person_form())

        assert response.status_code == 302 and response["Location"] == "/shop/demo-shop/"
        person = User.objects.get(email="fin@example.com")
        assert (person.first_name, person.last_name) == ("Fia", "Nance")
        assert person.check_password(NEW_PASSWORD)
        assert PasswordHistory.objects.filter(user=person).exists()
        assert Membership.objects.get(user=person).roles == ["finance_specialist"]
        invitation.refresh_from_db()
        assert (invitation.status, invitation.accepted_by) == (InvitationStatus.ACCEPTED, person)
        added = SecurityEvent.objects.get(kind=EventKind.MEMBER_ADDED, user=person)
        assert (added.shop, added.details["via"]) == (shop, "invitation")
        assert SecurityEvent.objects.filter(kind=EventKind.ACCOUNT_CREATED, user=person).exists()
        # Signed in, with only what the role opens.
        dashboard = browser.get("/shop/demo-shop/").content.decode()
        assert "/shop/demo-shop/finance/" in dashboard and "/shop/demo-shop/products/" not in dashboard
        assert browser.get("/shop/demo-shop/products/").status_code == 403
        assert {m.to[0] for m in mailoutbox} >= {"fin@example.com", shop.owner.email}
        owner_mail = [m for m in mailoutbox if m.to == [shop.owner.email]][-1]
        assert "fin@example.com joined" in owner_mail.subject

    def test_enrols_two_step_first_when_the_shop_requires_it(self, shop_requiring_2sv, invite):
        _, token = invite("fin@example.com", "finance_specialist")
        browser = Client()
        open_email_link(browser, token)
        response = browser.post("/invitations/accept/", new_person_form(), follow=True)

        assert response.redirect_chain[-1][0] == "/account/security/2sv/totp/"
        assert "requires two-step verification" in response.content.decode()
        for path in ("/shop/demo-shop/", "/shop/demo-shop/finance/"):
            assert browser.get(path)["Location"] == "/account/security/2sv/totp/"
        person = User.objects.get(email="fin@example.com")
        assert browser.post("/account/security/2sv/totp/", {"code": totp_code(person)}).status_code == 200
        assert browser.get("/shop/demo-shop/finance/").status_code == 200

    @pytest.mark.parametrize(
        ("changes", "words"),
        [
            ({"new_password": "password1", "new_password_again": "password1"}, "symbol"),
            ({"new_password": "Demo Shop 2026!", "new_password_again": "Demo Shop 2026!"}, "shop"),
            ({"new_password": "Fia-Nance-99!", "new_password_again": "Fia-Nance-99!"}, "name"),
            ({"new_password_again": "something else"}, "differ"),
            ({"first_name": ""}, "required"),
            ({"new_password": "x" * 5000, "new_password_again": "x" * 5000}, "4096"),
        ],
    )
    def test_a_password_that_breaks_a_rule_is_refused_and_the_link_still_works(self, changes, words, invite):
        _, token = invite("fin@example.com")
        browser = Client()
        open_email_link(browser, token)

        response = browser.post("/invitations/accept/", new_person_form(**changes))

        assert response.status_code == 400
        assert words in response.content.decode()
        assert not User.objects.filter(email="fin@example.com").exists()
        assert browser.post("/invitations/accept/", new_person_form()).status_code == 302

    def test_accepts_through_the_api_and_is_signed_in(self, invite, api):
        _, token = invite("fin@example.com", "finance_specialist")
        anonymous = api()

        response = anonymous(
            "post", "invitations/accept", {"token": token, "first_name": "Fia", "password": NEW_PASSWORD}
        )

        assert response.status_code == 201
        assert response.json() == {
            "status": "accepted",
            "shop": "demo-shop",
            "roles": ["finance_specialist"],
            "signed_in": True,
        }
        me = anonymous("get", "me").json()
        assert me["email"] == "fin@example.com" and me["shops"][0]["roles"] == ["finance_specialist"]

    def test_the_api_asks_for_a_password_and_explains_a_weak_one(self, invite, api):
        _, token = invite("fin@example.com")
        missing = api()("post", "invitations/accept", {"token": token})
        weak = api()("post", "invitations/accept", {"token": token, "password": "abcd1234"})
        assert missing.status_code == weak.status_code == 400
        assert "Choose a password" in missing.json()["errors"]["password"][0]
        assert any("abcd" in message for message in weak.json()["errors"]["password"])
        assert not User.objects.filter(email="fin@example.com").exists()


@pytest.mark.django_db
class TestAnExistingAccount:
    def test_is_asked_to_sign_in_and_accepts_once_signed_in(self, shop, invite, password, commits):
        person = UserFactory(email="known@example.com")
        _, token = invite("known@example.com", "marketing_specialist")
        browser = Client()
        open_email_link(browser, token)
        page = browser.get("/invitations/accept/").content.decode()
        assert "already has a Seller Center account" in page
        assert 'name="new_password"' not in page

        response = browser.post(
            "/login/?next=/invitations/accept/", {"email": person.email, "password": password}
        )
        assert response["Location"] == "/invitations/accept/"
        assert "Accept and open Demo Shop" in browser.get("/invitations/accept/").content.decode()
        with commits():
            response = browser.post("/invitations/accept/")

        assert response["Location"] == "/shop/demo-shop/"
        assert Membership.objects.get(user=person, shop=shop).roles == ["marketing_specialist"]
        assert person.check_password(password)

    def test_the_api_never_sets_an_existing_accounts_password(self, invite, api, password):
        person = UserFactory(email="known@example.com")
        _, token = invite("known@example.com")

        response = api()("post", "invitations/accept", {"token": token, "password": NEW_PASSWORD})

        assert response.status_code == 409 and response.json()["code"] == "sign_in_required"
        person.refresh_from_db()
        assert person.check_password(password)
        assert not Membership.objects.filter(user=person).exists()

    def test_accepts_through_the_api_while_signed_in(self, invite, api, signed_in, client):
        person = UserFactory(email="known@example.com")
        _, token = invite("known@example.com", "advertising_manager")
        response = api(signed_in(person))("post", "invitations/accept", {"token": token})
        assert response.status_code == 200 and response.json()["roles"] == ["advertising_manager"]

    def test_a_member_already_is_told_so(self, shop, invite, api, signed_in):
        person = UserFactory(email="known@example.com")
        _, token = invite("known@example.com")
        MembershipFactory(shop=shop, user=person, roles=["main_admin"])
        response = api(signed_in(person))("post", "invitations/accept", {"token": token})
        assert response.status_code == 409 and response.json()["code"] == "already_member"
        assert Membership.objects.get(user=person).roles == ["main_admin"]


@pytest.mark.django_db
class TestSignedInAsSomeoneElse:
    def test_the_page_says_so_and_nothing_changes(self, invite, signed_in):
        other = UserFactory(email="other@example.com")
        invitation, token = invite("fin@example.com")
        browser = signed_in(other)
        open_email_link(browser, token)

        page = browser.get("/invitations/accept/")
        posted = browser.post("/invitations/accept/", new_person_form())

        assert page.status_code == posted.status_code == 403
        text = page.content.decode()
        assert "signed in as other@example.com" in text and "sent to fin@example.com" in text
        assert "Nothing has changed" in text
        assert not Membership.objects.filter(user=other, shop=invitation.shop).exists()
        assert not User.objects.filter(email="fin@example.com").exists()
        # The invited person can still use the link.
        fresh = Client()
        open_email_link(fresh, token)
        assert fresh.post("/invitations/accept/", new_person_form()).status_code == 302

    def test_the_api_answers_403_wrong_account_and_spends_nothing(self, invite, api, signed_in):
        other = UserFactory(email="other@example.com")
        _, token = invite("fin@example.com")
        response = api(signed_in(other))("post", "invitations/accept", {"token": token})
        assert response.status_code == 403 and response.json()["code"] == "wrong_account"
        assert (
            api()("post", "invitations/accept", {"token": token, "password": NEW_PASSWORD}).status_code == 201
        )


@pytest.mark.django_db
class TestTheLink:
    def test_is_single_use(self, invite, api):
        _, token = invite("fin@example.com")
        assert (
            api()("post", "invitations/accept", {"token": token, "password": NEW_PASSWORD}).status_code == 201
        )
        again = api()("post", "invitations/accept", {"token": token, "password": NEW_PASSWORD})
        assert again.status_code == 410 and again.json()["code"] == "link_gone"
        page = open_email_link(Client(), token)
        assert page.status_code == 410 and "already used" in page.content.decode()

    def test_expires_after_72_hours(self, invite, api):
        _, token = invite("fin@example.com")
        with time_machine.travel(timezone.now() + timedelta(hours=71, minutes=59)):
            assert open_email_link(Client(), token).status_code == 302
        with time_machine.travel(timezone.now() + timedelta(hours=72, minutes=1)):
            response = api()("post", "invitations/accept", {"token": token, "password": NEW_PASSWORD})
            page = open_email_link(Client(), token)
        assert response.status_code == 410 and "expired" in response.json()["detail"]
        assert page.status_code == 410 and "expired" in page.content.decode()
        assert not User.objects.filter(email="fin@example.com").exists()

    def test_a_link_opened_before_it_expired_cannot_be_used_after(self, invite):
        _, token = invite("fin@example.com")
        browser = Client()
        now = timezone.now()
        with time_machine.travel(now + timedelta(hours=71, minutes=50)):
            open_email_link(browser, token)
        with time_machine.travel(now + timedelta(hours=72, minutes=1)):
            response = browser.post("/invitations/accept/", new_person_form())
        assert response.status_code == 410 and "expired" in response.content.decode()
        assert not User.objects.filter(email="fin@example.com").exists()

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
            lambda t: t + "x",
            lambda t: t[:20],
            lambda t: "",
            lambda t: "x" * 10_240,
            lambda t: "../../etc/passwd",
        ],
    )
    def test_a_tampered_token_opens_nothing(self, tamper, invite, api):
        _, token = invite("fin@example.com")
        response = api()("post", "invitations/accept", {"token": tamper(token), "password": NEW_PASSWORD})
        assert response.status_code == 400
        assert not User.objects.filter(email="fin@example.com").exists()

    def test_a_token_for_another_purpose_opens_no_invitation(self, invite, api, commits, mailoutbox):
        UserFactory(email="known@example.com")
        with commits():
            request_password_reset("known@example.com", RequestContext())
        (reset_token,) = email_link_tokens(mailoutbox[-1].body)
        response = api()("post", "invitations/accept", {"token": reset_token, "password": NEW_PASSWORD})
        assert response.status_code == 400

    def test_a_revoked_or_resent_link_is_refused(self, invite, owner_client, api):
        revoked, revoked_token = invite("gone@example.com")
        resent, resent_token = invite("again@example.com")
        owner = api(owner_client)
        owner("delete", f"shops/demo-shop/invitations/{revoked.pk}")
        owner("post", f"shops/demo-shop/invitations/{resent.pk}/resend")

        for token, says in (
            (revoked_token, "This invitation was withdrawn"),
            (resent_token, "newer e-mail replaced"),
        ):
            response = api()("post", "invitations/accept", {"token": token, "password": NEW_PASSWORD})
            assert response.status_code == 410
            assert says in response.json()["detail"]
        assert not User.objects.filter(email__in=["gone@example.com", "again@example.com"]).exists()


@pytest.mark.django_db(transaction=True)
def test_of_two_acceptances_at_once_one_wins(shop, invite):
    invitation, token = invite("fin@example.com", "finance_specialist")
    start = threading.Barrier(2)
    statuses = []

    def accept():
        api = Client()
        api.get("/api/v1/auth/csrf")
        start.wait()
        response = api.post(
            "/api/v1/invitations/accept",
            {"token": token, "password": NEW_PASSWORD},
            content_type="application/json",
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201, 410]
    assert User.objects.filter(email="fin@example.com").count() == 1
    assert Membership.objects.filter(shop=shop, user__email="fin@example.com").count() == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert SecurityEvent.objects.filter(kind=EventKind.MEMBER_ADDED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_existing_user_accepting_twice_at_once_joins_once(shop, invite, password):
    person = UserFactory(email="known@example.com")
    _, token = invite("known@example.com")
    clients = []
    for _ in range(2):
        browser = Client()
        browser.post("/login/", {"email": person.email, "password": password})
        open_email_link(browser, token)
        clients.append(browser)
    start = threading.Barrier(2)
    statuses = []

    def accept(browser):
        start.wait()
        statuses.append(browser.post("/invitations/accept/").status_code)
        connection.close()

    threads = [threading.Thread(target=accept, args=(browser,)) for browser in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302, 410]
    assert Membership.objects.filter(shop=shop, user=person).count() == 1
    assert Invitation.objects.get().status == InvitationStatus.ACCEPTED
