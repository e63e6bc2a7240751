"""Turning on two-step verification with an authenticator app, and the Account Security page."""

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import two_step_enabled
from audit.models import EventKind, SecurityEvent
from security.two_step import devices
from tests.conftest import totp_code
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_api_enrols_an_authenticator_and_returns_ten_recovery_codes(
    signed_in, user, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(user)
    started = client.post("/api/v1/account/2sv/totp")
    assert started.status_code == 201
    body = started.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/Seller%20Center%3Aseller%40example.com?")
    assert "issuer=Seller%20Center" in body["otpauth_uri"]
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    # Not counted until a code confirms it.
    assert client.get("/api/v1/me").json()["two_step_enabled"] is False

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            "/api/v1/account/2sv/totp/confirm", {"code": pyotp.TOTP(body["secret"]).now()}
        )
    assert confirmed.status_code == 200
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert client.get("/api/v1/me").json()["two_step_enabled"] is True
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.TWO_STEP_ENABLED).count() == 1
    assert mailoutbox[-1].subject == "Two-step verification is on"


def test_turning_it_on_ends_the_sessions_that_only_passed_the_password(signed_in, user, shop_requiring_2sv):
    from django.test import Client

    MembershipFactory(shop=shop_requiring_2sv, user=user, roles=["main_admin"])
    elsewhere = signed_in(user, client=Client())
    here = signed_in(user)
    secret = here.post("/api/v1/account/2sv/totp").json()["secret"]
    assert (
        here.post("/api/v1/account/2sv/totp/confirm", {"code": pyotp.TOTP(secret).now()}).status_code == 200
    )

    assert elsewhere.get("/api/v1/me").status_code == 401
    assert elsewhere.get(f"/shop/{shop_requiring_2sv.slug}/")["Location"].startswith("/login/")
    assert here.get(f"/shop/{shop_requiring_2sv.slug}/").status_code == 200


def test_a_wrong_code_does_not_confirm_the_authenticator(signed_in, user):
    client = signed_in(user)
    client.post("/api/v1/account/2sv/totp")
    response = client.post("/api/v1/account/2sv/totp/confirm", {"code": "12345"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"
    assert not two_step_enabled(user)


def test_confirming_before_starting_is_a_clear_409(signed_in, user):
    response = signed_in(user).post("/api/v1/account/2sv/totp/confirm", {"code": "123456"})
    assert response.status_code == 409
    assert "Start setting up" in response.json()["detail"]


def test_starting_again_while_enabled_is_refused(fully_signed_in, user_with_totp):
    response = fully_signed_in(user_with_totp).post("/api/v1/account/2sv/totp")
    assert response.status_code == 409
    assert response.json()["code"] == "two_step_already_enabled"


def test_the_enrolment_page_shows_a_qr_code_and_the_secret_and_then_the_recovery_codes_once(signed_in, user):
    client = signed_in(user)
    page = client.get("/account/security/2sv/totp/")
    html = page.content.decode()
    secret = devices.base32_secret(TOTPDevice.objects.get(user=user, confirmed=False))
    assert "<svg" in html and secret in html
    assert "only you can use" in html and "Never tell anyone a code" in html
    # Reloading the page keeps the secret the user may already have scanned.
    assert secret in client.get("/account/security/2sv/totp/").content.decode()

    done = client.post("/account/security/2sv/totp/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert done.content.decode().count("<li><code>") == 10
    assert 'download="seller-center-recovery-codes.txt"' in done.content.decode()
    assert "no-store" in done["Cache-Control"]
    # Shown once: the enrolment page now sends the user to Account Security.
    assert client.get("/account/security/2sv/totp/")["Location"] == "/account/security/"


def test_the_enrolment_page_answers_a_wrong_code_with_a_message(signed_in, user):
    client = signed_in(user)
    client.get("/account/security/2sv/totp/")
    response = client.post("/account/security/2sv/totp/", {"code": "000000x"})
    assert response.status_code == 400
    assert "That code is not valid" in response.content.decode()


def test_after_enrolment_the_next_sign_in_asks_for_a_code(client, signed_in, half_signed_in, user):
    signed_in(user)
    client.get("/account/security/2sv/totp/")
    client.post("/account/security/2sv/totp/", {"code": totp_code(user)})
    client.post("/logout/")
    half_signed_in(user)
    assert client.post("/login/verify/", {"code": totp_code(user, steps=1)}).status_code == 302


def test_account_security_page_shows_status_recovery_codes_and_advice(fully_signed_in, user_with_totp):
    html = fully_signed_in(user_with_totp).get("/account/security/").content.decode()
    assert "Two-step verification" in html and 'class="badge ok">On' in html
    assert "<strong>10</strong> unused recovery codes" in html
    assert "/account/password/" in html  # Change password
    assert "only you can use" in html and "Never tell anyone a code" in html


def test_account_security_page_offers_enrolment_when_off(signed_in, user):
    html = signed_in(user).get("/account/security/").content.decode()
    assert 'class="badge bad">Off' in html
    assert "/account/security/2sv/totp/" in html
    assert "set it up first" in html


def test_the_preferred_method_can_be_chosen(fully_signed_in, user_with_totp):
    client = fully_signed_in(user_with_totp)
    assert client.post("/account/security/2sv/preferred/", {"method": "email"}).status_code == 302
    user_with_totp.refresh_from_db()
    assert user_with_totp.preferred_two_step_method == "email"
    client.post("/account/security/2sv/preferred/", {"method": "carrier-pigeon"})
    user_with_totp.refresh_from_db()
    assert user_with_totp.preferred_two_step_method == "email"


def test_a_reset_by_someone_else_removes_every_device_ends_every_session_and_tells_the_person(
    fully_signed_in, user_with_totp, owner, django_capture_on_commit_callbacks, mailoutbox
):
    from audit.events import RequestContext
    from audit.models import EventKind, SecurityEvent
    from security.two_step.enrolment import reset_two_step

    client = fully_signed_in(user_with_totp)
    with django_capture_on_commit_callbacks(execute=True):
        assert reset_two_step(user_with_totp, by=owner, reason="lost their phone", context=RequestContext())

    assert not two_step_enabled(user_with_totp)
    assert devices.recovery_codes_left(user_with_totp) == 0
    assert client.get("/shops/").status_code == 302
    event = SecurityEvent.objects.get(user=user_with_totp, kind=EventKind.TWO_STEP_RESET)
    assert event.details["by"] == owner.email
    [message] = [m for m in mailoutbox if m.to == [user_with_totp.email]]
    assert "reset" in message.subject and owner.email in message.body
    assert not reset_two_step(user_with_totp, by=owner, reason="again", context=RequestContext())
