"""The second step must not fall to the mailbox alone (SPEC §6, issue 15): after a password reset or
an e-mail address change, the e-mail code is refused for 7 days; a sign-in completed with it is
marked in the session list and the log, and alerts the account."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.events import record_event
from audit.models import EventKind, SecurityEvent
from security.models import UserSession
from tests.conftest import email_link_tokens, open_email_link, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

NEW_PASSWORD = "Tulip#harbour7"


@pytest.fixture
def reset_by_mailbox(django_capture_on_commit_callbacks):
    """reset_by_mailbox(user) → the reset e-mail's body, after the password was set to NEW_PASSWORD
    through the link, as whoever holds the mailbox would."""

    def reset(user):
        browser = Client()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            browser.post("/password-reset/", {"email": user.email})
        [message] = [m for m in mail.outbox if "Reset your" in m.subject]
        assert open_email_link(browser, email_link_tokens(message.body)[0]).status_code == 302
        form = {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
        assert browser.post("/password-reset/new-password/", form).status_code == 302
        return message.body

    return reset


def password_step(client, user, password=NEW_PASSWORD):
    response = client.post("/login/", {"email": user.email, "password": password})
    assert response["Location"].startswith("/login/verify/")
    return client


def ask_for_email_code(client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/login/verify/", {"action": "send_email"})
    codes = [re.search(r"\b(\d{6})\b", m.body) for m in mail.outbox if "code" in m.subject.lower()]
    return codes[0].group(1) if codes and codes[0] else None


def test_after_a_reset_the_mailbox_alone_cannot_pass_the_second_step(
    user_with_totp, reset_by_mailbox, django_capture_on_commit_callbacks
):
    body = reset_by_mailbox(user_with_totp)
    assert "codes sent by e-mail are not accepted" in body
    client = password_step(Client(), user_with_totp)

    page = client.get("/login/verify/").content.decode()
    assert "Codes by e-mail cannot complete a sign-in until" in page
    assert "authenticator" in page and 'value="send_email"' not in page
    assert ask_for_email_code(client, django_capture_on_commit_callbacks) is None
    entered = client.post("/login/verify/?method=email", {"code": "123456", "method": "email"})
    assert entered.status_code == 400
    assert "Codes by e-mail cannot complete a sign-in" in entered.content.decode()
    assert client.get("/account/security/").status_code == 302

    api = client.post(
        "/api/v1/auth/verify", {"method": "email", "code": "123456"}, content_type="application/json"
    )
    assert api.status_code == 409 and api.json()["code"] == "email_code_refused"
    assert "authenticator app" in api.json()["detail"] and "recovery code" in api.json()["detail"]
    sent = client.post("/api/v1/auth/verify/email-code")
    assert sent.status_code == 409 and sent.json()["code"] == "email_code_refused"

    # The app still works.
    assert client.post("/login/verify/", {"code": totp_code(user_with_totp)}).status_code == 302


def test_the_refusal_on_the_page_links_to_recovery_and_the_api_says_it_in_plain_text(
    user_with_totp, reset_by_mailbox
):
    reset_by_mailbox(user_with_totp)
    client = password_step(Client(), user_with_totp)

    page = client.get("/login/verify/").content.decode()
    api = client.post(
        "/api/v1/auth/verify", {"method": "email", "code": "123456"}, content_type="application/json"
    )

    assert 'Lost both? Ask for account recovery at <a href="/recover/">/recover/</a>.' in page
    assert api.json()["detail"].endswith("Lost both? Ask for account recovery at /recover/.")


def test_the_api_login_offers_no_email_code_after_a_reset(user_with_totp, reset_by_mailbox):
    reset_by_mailbox(user_with_totp)
    answer = Client().post(
        "/api/v1/auth/login",
        {"email": user_with_totp.email, "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert answer.json() == {"status": "2sv_required", "methods": ["totp", "recovery_code"]}


def test_after_an_email_address_change_the_email_code_is_refused_too(
    user_with_totp, password, django_capture_on_commit_callbacks
):
    record_event(user_with_totp, EventKind.EMAIL_CHANGED, old="old@example.com")
    client = password_step(Client(), user_with_totp, password)
    assert ask_for_email_code(client, django_capture_on_commit_callbacks) is None
    api = client.post(
        "/api/v1/auth/verify", {"method": "email", "code": "123456"}, content_type="application/json"
    )
    assert api.json()["code"] == "email_code_refused"


def test_seven_days_after_the_reset_the_email_code_works_again(
    user_with_totp, reset_by_mailbox, django_capture_on_commit_callbacks
):
    reset_by_mailbox(user_with_totp)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        client = password_step(Client(), user_with_totp)
        code = ask_for_email_code(client, django_capture_on_commit_callbacks)
        assert code is not None
        response = client.post("/login/verify/?method=email", {"code": code, "method": "email"})
        assert response.status_code == 302


def test_a_password_change_does_not_refuse_the_email_code(
    fully_signed_in, user_with_totp, password, django_capture_on_commit_callbacks
):
    record_event(user_with_totp, EventKind.PASSWORD_CHANGED)
    client = password_step(Client(), user_with_totp, password)
    assert ask_for_email_code(client, django_capture_on_commit_callbacks) is not None


def test_a_sign_in_with_the_email_code_is_marked_and_alerts_the_account(
    user_with_totp, password, django_capture_on_commit_callbacks
):
    client = password_step(Client(), user_with_totp, password)
    code = ask_for_email_code(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/login/verify/?method=email", {"code": code, "method": "email"})
    assert response.status_code == 302

    assert UserSession.objects.get(user=user_with_totp).second_step == "email"
    page = client.get("/account/security/").content.decode()
    assert "Signed in with an e-mail code" in page
    log = client.get("/account/security/events/").content.decode()
    assert "Signed in with an e-mail code" in log
    event = SecurityEvent.objects.get(user=user_with_totp, kind=EventKind.LOGIN_SUCCESS)
    assert event.details["method"] == "email"
    [api_row] = client.get("/api/v1/account/sessions").json()["results"]
    assert api_row["second_step"] == "email"

    [alert] = [m for m in mail.outbox if "code sent to this mailbox" in m.subject]
    assert "/link/#" in alert.body and "freeze" in alert.body


def test_a_sign_in_with_the_app_is_not_marked(fully_signed_in, user_with_totp):
    client = fully_signed_in(user_with_totp)
    assert UserSession.objects.get(user=user_with_totp).second_step == "totp"
    assert "Signed in with an e-mail code" not in client.get("/account/security/").content.decode()


def test_the_reset_email_of_an_account_without_two_step_says_nothing_of_codes(user, reset_by_mailbox):
    assert "codes sent by e-mail" not in reset_by_mailbox(user)
