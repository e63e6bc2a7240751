from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from notifications.email import send_email
from security.models import UserSession
from tests.conftest import email_link_tokens, open_email_link

pytestmark = pytest.mark.django_db

NEVER_ASK = "Seller Center will never ask for your password, one-time codes or PIN."
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request and then what it scheduled for after commit (the e-mails), as in production."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def sign_in(committed, settings):
    """sign_in(user, password, agent=…, ip=…) from a browser: one browser per user agent, which keeps
    its known-device cookie from one sign-in to the next, as a real one does."""
    device_cookies = {}

    def sign_in(user, password, *, agent=FIREFOX, ip="198.51.100.7"):
        client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
        if agent in device_cookies:
            client.cookies[settings.KNOWN_DEVICE_COOKIE] = device_cookies[agent]
        response = committed(client.post, "/login/", {"email": user.email, "password": password})
        assert response.status_code == 302
        device_cookies[agent] = client.cookies[settings.KNOWN_DEVICE_COOKIE].value
        return client

    return sign_in


def alerts_to(user):
    return [m for m in mail.outbox if m.to == [user.email] and "New sign-in" in m.subject]


def freeze_token(message) -> str:
    [token] = email_link_tokens(message.body)
    return token


def open_freeze_link(message, client=None):
    """Open the alert's "This wasn't me" link in a browser; returns it, on the confirmation page."""
    client = client or Client()
    response = open_email_link(client, freeze_token(message))
    assert response.status_code == 302 and response["Location"] == "/account/freeze/"
    return client


@pytest.fixture
def usual_device(owner, password, sign_in):
    """The owner signed in once from Firefox at home: that device and IP are known."""
    sign_in(owner, password)
    mail.outbox.clear()
    return owner


def test_the_first_sign_in_ever_sends_no_alert(owner, password, sign_in):
    sign_in(owner, password)
    assert alerts_to(owner) == []


def test_a_sign_in_from_a_known_device_and_ip_sends_no_alert(usual_device, password, sign_in):
    sign_in(usual_device, password)
    assert alerts_to(usual_device) == []


def test_a_sign_in_from_a_new_ip_sends_an_alert_with_time_device_ip_and_link(usual_device, password, sign_in):
    sign_in(usual_device, password, ip="203.0.113.50")
    [alert] = alerts_to(usual_device)
    assert "203.0.113.50" in alert.body
    assert "Device: Firefox on Linux" in alert.body
    assert "UTC" in alert.body
    assert "/link/#" in alert.body
    assert alert.body.rstrip().endswith(NEVER_ASK)
    assert SecurityEvent.objects.filter(user=usual_device, kind=EventKind.NEW_SIGN_IN_ALERT).count() == 1


def test_a_sign_in_from_a_new_device_on_a_known_ip_sends_an_alert(usual_device, password, sign_in):
    sign_in(usual_device, password, agent=CHROME)
    [alert] = alerts_to(usual_device)
    assert "Device: Chrome on Windows" in alert.body


def test_a_device_unseen_for_thirty_days_counts_as_new_again(usual_device, password, sign_in):
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sign_in(usual_device, password)
    assert len(alerts_to(usual_device)) == 1


def test_the_alert_shows_the_users_anti_phishing_phrase(usual_device, password, sign_in):
    usual_device.anti_phishing_phrase = "blue heron at dawn"
    usual_device.save()
    sign_in(usual_device, password, ip="203.0.113.50")
    [alert] = alerts_to(usual_device)
    assert "blue heron at dawn" in alert.body


def test_opening_the_link_only_asks_and_the_button_freezes_once(usual_device, password, sign_in, committed):
    intruder = sign_in(usual_device, password, ip="203.0.113.50")
    visitor = open_freeze_link(alerts_to(usual_device)[0])

    confirm = visitor.get("/account/freeze/")
    assert confirm.status_code == 200
    assert "Freeze my account" in confirm.content.decode()
    usual_device.refresh_from_db()
    assert not usual_device.is_frozen  # a mail scanner following the link changes nothing

    done = committed(visitor.post, "/account/freeze/")
    assert done.status_code == 200
    usual_device.refresh_from_db()
    assert usual_device.is_frozen
    assert intruder.get("/shop/demo-shop/").status_code == 302
    assert not UserSession.objects.filter(user=usual_device).exists()
    assert SecurityEvent.objects.filter(user=usual_device, kind=EventKind.ACCOUNT_FROZEN).count() == 1
    assert any("frozen" in m.subject for m in mail.outbox if m.to == [usual_device.email])

    again = visitor.post("/account/freeze/")
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    reopened = open_email_link(Client(), freeze_token(alerts_to(usual_device)[0]))
    assert reopened.status_code == 410
    assert SecurityEvent.objects.filter(user=usual_device, kind=EventKind.ACCOUNT_FROZEN).count() == 1


def test_the_done_page_offers_the_way_back_through_a_recovery(usual_device, password, sign_in, committed):
    sign_in(usual_device, password, ip="203.0.113.50")
    visitor = open_freeze_link(alerts_to(usual_device)[0])

    done = committed(visitor.post, "/account/freeze/").content.decode()

    assert '<a class="button primary" href="/recover/">Start the recovery</a>' in done
    assert visitor.get("/recover/").status_code == 200


def test_the_token_never_appears_in_a_url_the_server_sees(usual_device, password, sign_in):
    sign_in(usual_device, password, ip="203.0.113.50")
    token = freeze_token(alerts_to(usual_device)[0])
    visitor = Client()

    landing = open_email_link(visitor, token)
    confirm = visitor.get(landing["Location"])

    assert token not in landing["Location"]
    assert token not in confirm.content.decode()
    assert confirm.status_code == 200


def test_a_frozen_account_cannot_sign_in_even_with_the_right_password(usual_device, password, sign_in):
    sign_in(usual_device, password, ip="203.0.113.50")
    open_freeze_link(alerts_to(usual_device)[0]).post("/account/freeze/")
    response = Client().post(
        "/api/v1/auth/login",
        {"email": usual_device.email, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "account_frozen"


def test_the_link_expires_after_seven_days(usual_device, password, sign_in):
    sign_in(usual_device, password, ip="203.0.113.50")
    token = freeze_token(alerts_to(usual_device)[0])
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = open_email_link(Client(), token)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    usual_device.refresh_from_db()
    assert not usual_device.is_frozen


def test_a_tampered_link_is_refused(usual_device, password, sign_in):
    sign_in(usual_device, password, ip="203.0.113.50")
    token = freeze_token(alerts_to(usual_device)[0])
    response = open_email_link(Client(), token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert response.status_code == 400
    assert Client().get("/account/freeze/").status_code == 400  # no link held: nothing to freeze
    assert Client().post("/account/freeze/").status_code == 400
    usual_device.refresh_from_db()
    assert not usual_device.is_frozen


def test_turning_login_protection_off_sends_no_alert_and_records_no_session(
    usual_device, password, settings, sign_in
):
    settings.LOGIN_PROTECTION = False
    sign_in(usual_device, password, ip="203.0.113.50")
    assert alerts_to(usual_device) == []
    assert UserSession.objects.filter(user=usual_device).count() == 1  # only the fixture's sign-in


# Every e-mail the product sends: one layout, the user's phrase on top, the never-ask line last.

EMAIL_DIR = Path(__file__).resolve().parents[2] / "templates" / "email"
EMAIL_TEMPLATES = sorted(path.stem for path in EMAIL_DIR.glob("*.txt") if path.stem != "base")


@pytest.mark.parametrize("template", EMAIL_TEMPLATES)
def test_every_email_uses_the_one_layout_with_the_phrase_and_ends_with_the_never_ask_line(
    template, owner, committed
):
    source = (EMAIL_DIR / f"{template}.txt").read_text()
    assert source.startswith('{% extends "email/base.txt" %}')
    owner.anti_phishing_phrase = "blue heron at dawn"
    committed(send_email, owner, template, {})
    message = mail.outbox[-1]
    assert message.subject.strip()
    assert "Your anti-phishing phrase: blue heron at dawn" in message.body
    assert message.body.rstrip().endswith(NEVER_ASK)
