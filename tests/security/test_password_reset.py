"""Password reset by e-mail: /password-reset/ and its single-use, one-hour link."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.models import EventKind, SecurityEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

NEW_PASSWORD = "Tulip#harbour7"


@pytest.fixture
def ask_for_link(client, django_capture_on_commit_callbacks):
    """ask_for_link(email) → the reset link mailed to that address, or None."""

    def ask(email):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/password-reset/", {"email": email})
        assert response.status_code == 302
        assert response["Location"] == "/password-reset/done/"
        for message in mail.outbox:
            found = re.search(r"https?://\S+/password-reset/\S+/\S+/", message.body)
            if found:
                return urlsplit(found.group(0)).path
        return None

    return ask


def set_new_password(client, link, password=NEW_PASSWORD, again=None):
    opened = client.get(link)
    if opened.status_code != 302:
        return opened
    form_url = opened["Location"]
    return client.post(form_url, {"new_password": password, "new_password_again": again or password})


def test_the_request_page_shows_a_form_and_the_advice(client):
    page = client.get("/password-reset/").content.decode()
    assert 'name="email"' in page
    assert "not even with someone who says they are" in page


def test_a_known_and_an_unknown_address_get_the_same_answer(client, user, ask_for_link):
    assert ask_for_link(user.email) is not None
    assert ask_for_link("nobody@example.com") is None
    done = client.get("/password-reset/done/").content.decode()
    assert "If that address belongs to a Seller Center account" in done


def test_the_link_sets_a_new_password_ends_every_session_and_signs_nobody_in(
    user, password, signed_in, ask_for_link
):
    elsewhere = signed_in(user, client=Client())
    link = ask_for_link(user.email)
    browser = Client()
    response = set_new_password(browser, link)
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert elsewhere.get("/shops/").status_code == 302
    assert browser.get("/shops/").status_code == 302
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {EventKind.PASSWORD_RESET_REQUESTED, EventKind.PASSWORD_RESET} <= kinds


def test_the_link_works_only_once(user, ask_for_link):
    link = ask_for_link(user.email)
    assert set_new_password(Client(), link).status_code == 302
    again = Client().get(link)
    assert again.status_code == 400
    assert "no longer works" in again.content.decode()


def test_the_link_expires_after_an_hour(user, ask_for_link):
    link = ask_for_link(user.email)
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert Client().get(link).status_code == 400


def test_the_token_leaves_the_address_bar_before_the_form_is_shown(user, ask_for_link):
    link = ask_for_link(user.email)
    browser = Client()
    opened = browser.get(link)
    assert opened.status_code == 302
    assert opened["Location"].endswith("/set-password/")
    form = browser.get(opened["Location"])
    assert form.status_code == 200
    assert "data-password-meter" in form.content.decode()
    assert Client().get(opened["Location"]).status_code == 400


def test_a_weak_or_recent_password_is_refused_on_the_reset_form(user, password, ask_for_link):
    link = ask_for_link(user.email)
    browser = Client()
    weak = set_new_password(browser, link, "qwerty12")
    assert weak.status_code == 400
    assert "keyboard row" in weak.content.decode()
    reused = browser.post(
        "/password-reset/" + link.split("/")[2] + "/set-password/",
        {"new_password": password, "new_password_again": password},
    )
    assert reused.status_code == 400
    assert "used this password recently" in reused.content.decode()


def test_two_step_verification_is_still_asked_after_a_reset(user, client, ask_for_link):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    set_new_password(Client(), ask_for_link(user.email))
    response = client.post("/login/", {"email": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/verify/")
    assert client.get("/shops/").status_code == 302


def test_a_frozen_account_gets_no_link(user, ask_for_link):
    user.frozen_at = timezone.now()
    user.save()
    assert ask_for_link(user.email) is None


@pytest.mark.parametrize(
    "link", ["/password-reset/xx/yy/", "/password-reset/MTIz/set-password/", "/password-reset/%FF/a-b/"]
)
def test_a_malformed_link_gets_a_clear_400(client, link):
    assert client.get(link).status_code == 400


def test_an_invalid_email_or_a_missing_field_gets_a_400(client):
    assert client.post("/password-reset/", {"email": "not-an-email"}).status_code == 400
    assert client.post("/password-reset/", {}).status_code == 400


def test_reset_requests_are_throttled_per_ip(client, settings, frozen_clock):
    settings.PASSWORD_RESET_REQUEST_RATE = "2/hour"
    for _ in range(2):
        assert client.post("/password-reset/", {"email": "a@example.com"}).status_code == 302
    refused = client.post("/password-reset/", {"email": "a@example.com"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many reset requests" in refused.content.decode()


def test_the_reset_email_explains_the_link_and_warns_against_sharing_it(user, ask_for_link):
    ask_for_link(user.email)
    body = next(m.body for m in mail.outbox if "Reset your" in m.subject)
    assert "one hour" in body and "works once" in body
    assert "never ask for your password" in body


def test_while_a_reset_link_is_open_the_meter_checks_against_that_account(user, password, ask_for_link):
    browser = Client()
    browser.get(ask_for_link(user.email))
    check = browser.post("/api/v1/password/check", {"password": password}, content_type="application/json")
    assert [failure["code"] for failure in check.json()["failures"]] == ["reused"]
    stranger = Client().post(
        "/api/v1/password/check", {"password": password}, content_type="application/json"
    )
    assert stranger.json()["failures"] == []
