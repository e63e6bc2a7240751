"""The sign-in's second step: authenticator codes, e-mail codes and recovery codes (SPEC §6)."""

import time
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from security.two_step import devices
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def _secret(user):
    return devices.base32_secret(devices.totp_device(user))


def test_password_alone_asks_for_the_second_step(client, user_with_totp, password):
    response = client.post("/api/v1/auth/login", {"email": user_with_totp.email, "password": password})
    assert response.json() == {"status": "2sv_required", "methods": ["totp", "email", "recovery_code"]}


def test_a_current_code_signs_in_and_rotates_the_session_key(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    key_after_password = client.session.session_key
    response = client.post("/login/verify/", {"code": totp_code(user_with_totp)})
    assert response.status_code == 302 and response["Location"] == "/shops/"
    assert client.session.session_key != key_after_password
    assert client.get("/shops/").status_code == 200
    kinds = list(SecurityEvent.objects.filter(user=user_with_totp).values_list("kind", "details__method"))
    # "Signed in" is recorded once, when the second step passes; the password step has its own event.
    assert kinds == [(EventKind.LOGIN_SUCCESS, "totp"), (EventKind.LOGIN_PASSWORD_ACCEPTED, None)]


def test_the_same_code_twice_is_refused(client, half_signed_in, user_with_totp, password):
    code = totp_code(user_with_totp)
    half_signed_in(user_with_totp)
    assert client.post("/api/v1/auth/verify", {"method": "totp", "code": code}).status_code == 200
    client.post("/api/v1/auth/logout")
    half_signed_in(user_with_totp)
    replay = client.post("/api/v1/auth/verify", {"method": "totp", "code": code})
    assert replay.status_code == 400
    assert replay.json()["code"] == "invalid_code"


def test_a_code_one_step_old_is_accepted_but_two_steps_old_is_refused(client, half_signed_in, user_with_totp):
    totp = pyotp.TOTP(_secret(user_with_totp))
    half_signed_in(user_with_totp)
    two_steps_ago = client.post("/api/v1/auth/verify", {"method": "totp", "code": totp.at(time.time() - 60)})
    assert two_steps_ago.status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=True):
        one_step_ago = client.post(
            "/api/v1/auth/verify", {"method": "totp", "code": totp.at(time.time() - 30)}
        )
    assert one_step_ago.status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message_and_recorded(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    response = client.post("/login/verify/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not valid" in response.content.decode()
    assert client.get("/shops/")["Location"] == "/login/verify/"
    assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.TWO_STEP_FAILURE).count() == 1


@pytest.mark.parametrize("body", [{}, {"method": "sms", "code": "1"}, {"method": "totp", "code": "x" * 500}])
def test_bad_input_to_the_verify_endpoint_is_a_clear_400(half_signed_in, user_with_totp, body):
    client = half_signed_in(user_with_totp)
    response = client.post("/api/v1/auth/verify", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_recovery_codes_work_once_each_and_their_use_is_emailed(
    client, half_signed_in, user_with_totp, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = user_with_totp.recovery_codes[:2]
    half_signed_in(user_with_totp)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/login/verify/", {"code": first.upper()}).status_code == 302
    assert devices.recovery_codes_left(user_with_totp) == 9
    assert mailoutbox[-1].subject == "A recovery code was used"
    assert "9 codes are left" in mailoutbox[-1].body
    assert SecurityEvent.objects.get(kind=EventKind.RECOVERY_CODE_USED).details == {"codes_left": 9}

    client.post("/logout/")
    half_signed_in(user_with_totp)
    reused = client.post("/api/v1/auth/verify", {"method": "recovery_code", "code": first})
    assert reused.status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        other = client.post("/api/v1/auth/verify", {"method": "recovery_code", "code": second})
    assert other.status_code == 200


def test_recovery_codes_are_stored_only_as_hashes(user_with_totp):
    from django_otp.plugins.otp_static.models import StaticToken

    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    for code in user_with_totp.recovery_codes:
        assert code not in stored and devices.normalise_recovery_code(code) not in stored


def test_an_emailed_code_has_six_digits_signs_in_once_and_expires_after_ten_minutes(
    client, half_signed_in, user_with_totp, mailoutbox, django_capture_on_commit_callbacks
):
    half_signed_in(user_with_totp)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/api/v1/auth/verify/email-code")
    assert sent.status_code == 202
    message = mailoutbox[-1]
    code = _emailed_code(mailoutbox)
    assert len(code) == 6
    assert "never ask for your password, one-time codes or PIN" in message.body

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        late = client.post("/api/v1/auth/verify", {"method": "email", "code": code})
    assert late.status_code == 400

    later = time_machine.travel(timezone.now() + timedelta(minutes=11), tick=True)
    later.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/api/v1/auth/verify/email-code")
        code = _emailed_code(mailoutbox)
        assert client.post("/api/v1/auth/verify", {"method": "email", "code": code}).status_code == 200
        client.post("/api/v1/auth/logout")
        half_signed_in(user_with_totp)
        assert client.post("/api/v1/auth/verify", {"method": "email", "code": code}).status_code == 400
    finally:
        later.stop()


def _emailed_code(mailoutbox) -> str:
    return next(w.rstrip(".") for w in mailoutbox[-1].body.split() if w.rstrip(".").isdigit())


def test_asking_for_email_codes_again_at_once_is_throttled(client, half_signed_in, user_with_totp):
    half_signed_in(user_with_totp)
    assert client.post("/api/v1/auth/verify/email-code").status_code == 202
    again = client.post("/api/v1/auth/verify/email-code")
    assert again.status_code == 429
    assert again.json()["code"] == "throttled"
    assert int(again["Retry-After"]) > 0


def test_the_verify_page_sends_an_email_code_and_accepts_it(
    client, half_signed_in, user_with_totp, mailoutbox, django_capture_on_commit_callbacks
):
    half_signed_in(user_with_totp)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/login/verify/", {"action": "send_email"})
    assert response.status_code == 302 and "method=email" in response["Location"]
    page = client.get(response["Location"])
    assert "we e-mailed you" in page.content.decode()
    code = _emailed_code(mailoutbox)
    assert client.post("/login/verify/", {"method": "email", "code": code}).status_code == 302
    assert client.get("/shops/").status_code == 200


def test_an_account_without_an_authenticator_cannot_ask_for_email_codes(client, user, password):
    client.post("/api/v1/auth/login", {"email": user.email, "password": password})
    # Signed in fully with the password alone: there is no pending second step.
    assert client.post("/api/v1/auth/verify/email-code").status_code == 409


def test_a_code_two_steps_ahead_is_refused(client, half_signed_in, user_with_totp):
    half_signed_in(user_with_totp)
    ahead = pyotp.TOTP(_secret(user_with_totp)).at(time.time() + 60)
    assert client.post("/api/v1/auth/verify", {"method": "totp", "code": ahead}).status_code == 400


def test_pages_asked_for_before_the_second_step_queue_the_reminder_once(
    client, half_signed_in, user_with_totp
):
    half_signed_in(user_with_totp)
    for path in ("/shops/", "/account/security/", "/shops/", "/account/security/events/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/verify/")

    page = client.get("/login/verify/").content.decode()

    assert page.count("Enter the code from your second step to continue.") == 1
    assert "Enter the code from your second step" not in client.get("/login/verify/").content.decode()
