"""Password reset by e-mail: /password-reset/ and its single-use, one-hour link."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import EventKind, SecurityEvent
from tests.conftest import email_link_tokens, open_email_link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

NEW_PASSWORD = "Tulip#harbour7"


FORM = "/password-reset/new-password/"


@pytest.fixture
def ask_for_link(client, django_capture_on_commit_callbacks):
    """ask_for_link(email) → the token of the reset link mailed to that address, or None."""

    def ask(email):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/password-reset/", {"email": email})
        assert response.status_code == 302
        assert response["Location"] == "/password-reset/done/"
        for message in mail.outbox:
            tokens = email_link_tokens(message.body)
            if tokens:
                return tokens[0]
        return None

    return ask


def set_new_password(client, token, password=NEW_PASSWORD, again=None):
    opened = open_email_link(client, token)
    if opened.status_code != 302:
        return opened
    assert opened["Location"] == FORM
    return client.post(FORM, {"new_password": password, "new_password_again": again or password})


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
    token = ask_for_link(user.email)
    assert set_new_password(Client(), token).status_code == 302
    again = open_email_link(Client(), token)
    assert again.status_code == 410
    assert "already used" in again.content.decode()


def test_a_second_form_opened_from_the_same_link_cannot_set_the_password_again(user, ask_for_link):
    token = ask_for_link(user.email)
    first, second = Client(), Client()
    open_email_link(first, token)
    open_email_link(second, token)

    assert set_new_password(first, token).status_code == 302
    late = second.post(FORM, {"new_password": "Other#harbour8", "new_password_again": "Other#harbour8"})

    assert late.status_code == 400
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_asking_again_replaces_the_earlier_link(user, ask_for_link):
    first = ask_for_link(user.email)
    second = ask_for_link(user.email)
    assert open_email_link(Client(), first).status_code == 410
    assert set_new_password(Client(), second).status_code == 302


def test_the_link_expires_after_an_hour(user, ask_for_link):
    token = ask_for_link(user.email)
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert open_email_link(Client(), token).status_code == 410


def test_the_token_stays_out_of_every_address_the_server_sees(user, ask_for_link):
    token = ask_for_link(user.email)
    body = next(m.body for m in mail.outbox if "Reset your" in m.subject)
    browser = Client()
    opened = open_email_link(browser, token)
    assert f"/link/#{token}" in body
    assert opened.status_code == 302
    assert opened["Location"] == FORM
    form = browser.get(FORM)
    assert form.status_code == 200
    assert "data-password-meter" in form.content.decode()
    assert token not in form.content.decode()
    assert Client().get(FORM).status_code == 400


def test_a_weak_or_recent_password_is_refused_on_the_reset_form(user, password, ask_for_link):
    token = ask_for_link(user.email)
    browser = Client()
    weak = set_new_password(browser, token, "qwerty12")
    assert weak.status_code == 400
    assert "keyboard row" in weak.content.decode()
    reused = browser.post(FORM, {"new_password": password, "new_password_again": password})
    assert reused.status_code == 400
    assert "used this password recently" in reused.content.decode()
    assert set_new_password(browser, token).status_code == 302  # refusals spent nothing


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


@pytest.mark.parametrize("token", ["", "xx", "%FF", "a" * 300, "\x00abc"])
def test_a_malformed_link_gets_a_clear_400(client, token):
    response = open_email_link(client, token)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert client.get(FORM).status_code == 400


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
    open_email_link(browser, ask_for_link(user.email))
    check = browser.post("/api/v1/password/check", {"password": password}, content_type="application/json")
    assert [failure["code"] for failure in check.json()["failures"]] == ["reused"]
    stranger = Client().post(
        "/api/v1/password/check", {"password": password}, content_type="application/json"
    )
    assert stranger.json()["failures"] == []


# The same work for every address (SPEC §7): `make bench` shows the time; this shows the work.


def _request_work(client, email, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        assert client.post("/password-reset/", {"email": email}).status_code == 302
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    return statements, len(callbacks)


@pytest.mark.parametrize("kind", ["unknown", "frozen", "inactive"])
def test_a_known_address_costs_the_same_work_as_one_that_gets_no_link(
    client, user, kind, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    other = {
        "unknown": None,
        "frozen": UserFactory(frozen_at=timezone.now()),
        "inactive": UserFactory(is_active=False),
    }
    address = other[kind].email if other[kind] else "nobody@example.com"
    client.post("/password-reset/", {"email": user.email})  # warm: both sides replace an earlier link
    client.post("/password-reset/", {"email": address})
    known = _request_work(client, user.email, django_capture_on_commit_callbacks)
    elsewhere = _request_work(client, address, django_capture_on_commit_callbacks)
    assert known == elsewhere
    assert known[1] == 1  # one delivery task, queued after the commit either way


def test_only_an_account_that_may_reset_gets_the_email(user, ask_for_link):
    assert ask_for_link(user.email) is not None
    assert ask_for_link("nobody@example.com") is None
    assert not [m for m in mail.outbox if "nobody@example.com" in m.to]
