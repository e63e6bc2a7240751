"""Changing the e-mail address is an account-takeover step (SPEC §6): a fresh second step with the app or
a recovery code, a single-use link to the new address, and a "This wasn't me" notice to the old one."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from notifications.models import EmailLink
from security.account_history import last_changes
from security.email_change import EMAIL_CHANGE_PURPOSE
from tests.conftest import email_link_tokens, open_email_link
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "new.address@example.org"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request and then what it scheduled after commit (the e-mails), as in production."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def later():
    """later() moves the clock eleven minutes on: the sign-in's second step is no longer fresh."""
    travellers = []

    def move(minutes=11):
        travellers.append(time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True))
        travellers[-1].start()

    yield move
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def asked(fully_signed_in, user_with_totp, committed, mailoutbox):
    """The signed-in user asked to move to NEW; returns (client, token of the link sent to NEW)."""
    client = fully_signed_in(user_with_totp)
    response = committed(client.post, "/account/information/email/", {"new_email": NEW})
    assert response.status_code == 302, response.content[:400]
    to_new = [m for m in mailoutbox if m.to == [NEW]]
    assert len(to_new) == 1
    return client, email_link_tokens(to_new[0].body)[0]


def kinds_of(user):
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


# Asking for the change.


def test_the_change_page_asks_for_a_fresh_second_step_first(fully_signed_in, user_with_totp, later):
    client = fully_signed_in(user_with_totp)
    later()
    response = client.get("/account/information/email/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/security/step-up/")
    refused = client.post("/account/information/email/", {"new_email": NEW})
    assert refused.status_code == 302 and refused["Location"].startswith("/account/security/step-up/")
    assert not SecurityEvent.objects.filter(kind=EventKind.EMAIL_CHANGE_REQUESTED).exists()


def test_an_account_without_the_app_is_told_to_turn_it_on_first(signed_in, user):
    page = signed_in(user).get("/account/information/").content.decode()
    assert "turn on two-step verification" in page
    assert '/account/information/email/"' not in page
    step_up = signed_in(user).get("/account/information/email/", follow=True).content.decode()
    assert "two-step verification is not on for your account yet" in step_up


def test_asking_mails_a_link_to_the_new_address_and_a_freeze_link_to_the_old_one(
    asked, user_with_totp, mailoutbox
):
    old = user_with_totp.email
    user_with_totp.refresh_from_db()
    assert user_with_totp.email == old, "nothing changes before the link is opened"
    to_new = next(m for m in mailoutbox if m.to == [NEW])
    to_old = next(m for m in mailoutbox if m.to == [old])
    assert to_new.subject == "Confirm your new e-mail address for Seller Center"
    assert old in to_new.body
    assert to_old.subject == "A change of your Seller Center e-mail address was requested"
    assert NEW in to_old.body and "This wasn't me" not in to_old.subject
    assert len(email_link_tokens(to_old.body)) == 1, "the old address gets the freeze link"
    event = SecurityEvent.objects.get(user=user_with_totp, kind=EventKind.EMAIL_CHANGE_REQUESTED)
    assert event.details == {"new_email": NEW}
    page = asked[0].get("/account/information/").content.decode()
    assert "Waiting for confirmation" in page and NEW in page


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not-an-address", "Enter a valid e-mail address"),
        ("", "This field is required"),
        ("x" * 250 + "@example.org", "at most 254 characters"),
    ],
)
def test_a_bad_address_is_refused_with_a_message_and_nothing_is_sent(
    fully_signed_in, user_with_totp, committed, mailoutbox, address, message
):
    client = fully_signed_in(user_with_totp)
    response = committed(client.post, "/account/information/email/", {"new_email": address})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert mailoutbox == []


def test_the_same_address_or_one_that_belongs_to_another_account_is_refused(
    fully_signed_in, user_with_totp, committed, mailoutbox
):
    UserFactory(email="taken@example.org")
    client = fully_signed_in(user_with_totp)
    same = committed(client.post, "/account/information/email/", {"new_email": user_with_totp.email.upper()})
    assert same.status_code == 400 and "already your e-mail address" in same.content.decode()
    taken = committed(client.post, "/account/information/email/", {"new_email": "Taken@Example.org"})
    assert taken.status_code == 400 and "belongs to another Seller Center account" in taken.content.decode()
    assert mailoutbox == []


# Confirming it.


def test_the_link_confirms_the_change_once_and_the_old_address_is_told(
    asked, user_with_totp, committed, mailoutbox, password
):
    old = user_with_totp.email
    browser = Client()  # the link is opened wherever the new mailbox is read
    landing = open_email_link(browser, asked[1])
    assert landing.status_code == 302 and landing["Location"] == "/account/information/email/confirm/"
    page = browser.get(landing["Location"])
    assert page.status_code == 200 and NEW in page.content.decode()
    user_with_totp.refresh_from_db()
    assert user_with_totp.email == old, "opening the page (a mail scanner) changes nothing"

    mailoutbox.clear()
    done = committed(browser.post, "/account/information/email/confirm/")
    assert done.status_code == 200 and "Your e-mail address is changed" in done.content.decode()
    user_with_totp.refresh_from_db()
    assert user_with_totp.email == NEW
    event = SecurityEvent.objects.get(user=user_with_totp, kind=EventKind.EMAIL_CHANGED)
    assert event.details == {"old_email": old, "new_email": NEW}
    assert last_changes(user_with_totp).email_changed == event.created
    notice = next(m for m in mailoutbox if m.to == [old])
    assert notice.subject == "Your Seller Center e-mail address was changed"
    assert len(email_link_tokens(notice.body)) == 1

    again = open_email_link(Client(), asked[1])
    assert again.status_code == 410

    # Sign-ins use the new address from now on.
    assert Client().post("/login/", {"email": NEW, "password": password}).status_code == 302
    assert Client().post("/login/", {"email": old, "password": password}).status_code == 400


def test_a_newer_request_kills_the_older_link(asked, fully_signed_in, user_with_totp, committed):
    client, first_token = asked
    committed(client.post, "/account/information/email/", {"new_email": "newer@example.org"})
    assert open_email_link(Client(), first_token).status_code == 410


def test_cancelling_kills_the_link_and_is_logged(asked, user_with_totp):
    client, token = asked
    response = client.post("/account/information/email/cancel/", follow=True)
    assert "is cancelled" in response.content.decode()
    assert open_email_link(Client(), token).status_code == 410
    assert EventKind.EMAIL_CHANGE_CANCELLED in kinds_of(user_with_totp)


def test_an_expired_link_changes_nothing(asked, user_with_totp):
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert open_email_link(Client(), asked[1]).status_code == 410
    user_with_totp.refresh_from_db()
    assert user_with_totp.email != NEW


def test_this_wasnt_me_on_the_old_address_freezes_the_account_and_stops_the_change(
    asked, user_with_totp, mailoutbox, committed
):
    old = user_with_totp.email
    notice = next(m for m in mailoutbox if m.to == [old])
    owner_browser = Client()
    landing = open_email_link(owner_browser, email_link_tokens(notice.body)[0])
    assert landing["Location"] == "/account/freeze/"
    committed(owner_browser.post, "/account/freeze/")
    user_with_totp.refresh_from_db()
    assert user_with_totp.is_frozen

    attacker = Client()
    open_email_link(attacker, asked[1])
    refused = committed(attacker.post, "/account/information/email/confirm/")
    assert refused.status_code == 409 and "frozen" in refused.content.decode()
    user_with_totp.refresh_from_db()
    assert user_with_totp.email == old
    assert EmailLink.objects.get(purpose=EMAIL_CHANGE_PURPOSE).uses == 0, "a refused change spends nothing"


def test_an_address_taken_meanwhile_is_refused_at_confirmation(asked, user_with_totp, committed):
    UserFactory(email=NEW)
    browser = Client()
    open_email_link(browser, asked[1])
    response = committed(browser.post, "/account/information/email/confirm/")
    assert response.status_code == 409
    user_with_totp.refresh_from_db()
    assert user_with_totp.email != NEW


# The API.


def test_the_api_refuses_without_a_fresh_step_and_accepts_a_code_in_the_body(
    fully_signed_in, user_with_totp, later, committed, mailoutbox
):
    client = fully_signed_in(user_with_totp)
    later()
    refused = client.post("/api/v1/account/email", {"new_email": NEW}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "step_up_required"
    wrong = client.post(
        "/api/v1/account/email", {"new_email": NEW, "code": "000000"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_code"
    accepted = committed(
        client.post,
        "/api/v1/account/email",
        {"new_email": NEW, "code": user_with_totp.recovery_codes[0]},
        content_type="application/json",
    )
    assert accepted.status_code == 202
    body = accepted.json()
    assert body["status"] == "pending" and body["new_email"] == NEW and body["id"]
    assert any(m.to == [NEW] for m in mailoutbox)
    user_with_totp.refresh_from_db()
    assert user_with_totp.email != NEW


def test_the_api_answers_bad_addresses_with_stable_codes(fully_signed_in, user_with_totp):
    client = fully_signed_in(user_with_totp)
    cases = {"nope": "invalid_email", user_with_totp.email: "same_email"}
    for address, code in cases.items():
        response = client.post(
            "/api/v1/account/email", {"new_email": address}, content_type="application/json"
        )
        assert response.status_code == 400 and response.json()["code"] == code
    missing = client.post("/api/v1/account/email", {}, content_type="application/json")
    assert missing.status_code == 400 and "new_email" in missing.json()["errors"]


def test_the_api_needs_the_app_for_an_account_without_one(signed_in, user):
    response = signed_in(user).post(
        "/api/v1/account/email", {"new_email": NEW}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "two_step_enrolment_required"


def test_the_api_cancels_a_pending_change_once(fully_signed_in, user_with_totp):
    client = fully_signed_in(user_with_totp)
    client.post("/api/v1/account/email", {"new_email": NEW}, content_type="application/json")
    assert client.delete("/api/v1/account/email").status_code == 204
    second = client.delete("/api/v1/account/email")
    assert second.status_code == 404 and second.json()["code"] == "not_found"


def test_asking_too_often_is_throttled_per_account(fully_signed_in, user_with_totp):
    client = fully_signed_in(user_with_totp)
    for n in range(5):
        client.post(
            "/api/v1/account/email", {"new_email": f"n{n}@example.org"}, content_type="application/json"
        )
    response = client.post("/api/v1/account/email", {"new_email": NEW}, content_type="application/json")
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert "Retry-After" in response
    page = client.post("/account/information/email/", {"new_email": NEW})
    assert page.status_code == 429 and "Try again in" in page.content.decode()
