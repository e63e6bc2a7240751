"""Sensitive actions need a fresh second step: the app or a recovery code within 10 minutes (SPEC §6)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.selectors import two_step_enabled
from audit.models import EventKind, SecurityEvent
from security.two_step import devices
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def later():
    """later() moves the clock eleven minutes on: the sign-in's second step is no longer fresh."""
    travellers = []

    def move():
        travellers.append(time_machine.travel(timezone.now() + timedelta(minutes=11), tick=True))
        travellers[-1].start()

    yield move
    for traveller in reversed(travellers):
        traveller.stop()


def test_disabling_two_step_without_a_fresh_step_is_refused(fully_signed_in, user_with_totp, later, password):
    client = fully_signed_in(user_with_totp)
    later()
    # The password confirms it is the owner (recent authentication); the step-up is still due.
    response = client.delete(
        "/api/v1/account/2sv/totp", {"password": password}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "step_up_required"
    assert two_step_enabled(user_with_totp)


def test_disabling_right_after_a_step_up_works_and_is_recorded_and_emailed(
    fully_signed_in, user_with_totp, later, mailoutbox, django_capture_on_commit_callbacks, password
):
    client = fully_signed_in(user_with_totp)
    later()
    stepped = client.post(
        "/api/v1/account/2sv/step-up", {"method": "totp", "code": totp_code(user_with_totp)}
    )
    assert stepped.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        disabled = client.delete(
            "/api/v1/account/2sv/totp", {"password": password}, content_type="application/json"
        )
        assert disabled.status_code == 204
    assert not two_step_enabled(user_with_totp)
    assert devices.recovery_codes_left(user_with_totp) == 0
    assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.TWO_STEP_DISABLED).exists()
    assert mailoutbox[-1].subject == "Two-step verification was turned off"


def test_an_emailed_code_cannot_step_up(fully_signed_in, user_with_totp, later):
    client = fully_signed_in(user_with_totp)
    later()
    response = client.post("/api/v1/account/2sv/step-up", {"method": "email", "code": "123456"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_signing_in_with_an_emailed_code_is_not_a_fresh_step(
    client, half_signed_in, user_with_totp, mailoutbox, django_capture_on_commit_callbacks
):
    half_signed_in(user_with_totp)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/auth/verify/email-code")
    code = next(w.rstrip(".") for w in mailoutbox[-1].body.split() if w.rstrip(".").isdigit())
    assert client.post("/api/v1/auth/verify", {"method": "email", "code": code}).status_code == 200
    assert client.delete("/api/v1/account/2sv/totp").json()["code"] == "step_up_required"


def test_regenerating_recovery_codes_needs_a_fresh_step_and_replaces_the_old_ones(
    fully_signed_in, user_with_totp, later, mailoutbox, django_capture_on_commit_callbacks, password
):
    client = fully_signed_in(user_with_totp)
    later()
    refused = client.post("/api/v1/account/2sv/recovery-codes", {"password": password})
    assert refused.status_code == 403 and refused.json()["code"] == "step_up_required"
    old = user_with_totp.recovery_codes
    assert (
        client.post("/api/v1/account/2sv/step-up", {"method": "recovery_code", "code": old[0]}).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/account/2sv/recovery-codes")
    new = response.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert SecurityEvent.objects.filter(kind=EventKind.RECOVERY_CODES_REGENERATED).count() == 1
    assert mailoutbox[-1].subject == "New recovery codes were made"
    client.post("/logout/")


def test_the_disable_page_sends_a_stale_session_to_step_up_and_back(
    fully_signed_in, user_with_totp, later, password
):
    client = fully_signed_in(user_with_totp)
    later()
    asked = client.post("/account/security/2sv/disable/")
    assert (
        asked["Location"]
        == "/account/security/confirm-password/?next=%2Faccount%2Fsecurity%2F2sv%2Fdisable%2F"
    )
    confirmed = client.post(
        asked["Location"], {"password": password, "next": "/account/security/2sv/disable/"}
    )
    assert confirmed["Location"] == "/account/security/2sv/disable/"
    response = client.post("/account/security/2sv/disable/")
    assert response.status_code == 302
    assert response["Location"] == "/account/security/step-up/?next=%2Faccount%2Fsecurity%2F2sv%2Fdisable%2F"
    assert two_step_enabled(user_with_totp)

    back = client.post(
        response["Location"], {"code": totp_code(user_with_totp), "next": "/account/security/2sv/disable/"}
    )
    assert back["Location"] == "/account/security/2sv/disable/"
    assert "Turn off two-step verification?" in client.get(back["Location"]).content.decode()
    assert client.post("/account/security/2sv/disable/").status_code == 302
    assert not two_step_enabled(user_with_totp)


def test_the_step_up_page_refuses_a_wrong_code_and_never_leaves_the_site(
    fully_signed_in, user_with_totp, later
):
    client = fully_signed_in(user_with_totp)
    later()
    wrong = client.post("/account/security/step-up/", {"code": "000000", "next": "/account/security/"})
    assert wrong.status_code in (400, 429)
    later()  # a wrong code makes the next one wait a second, whichever method it uses
    right = client.post(
        "/account/security/step-up/?next=https://evil.example/", {"code": user_with_totp.recovery_codes[0]}
    )
    assert right["Location"] == "/account/security/"


def test_a_user_without_two_step_is_told_to_enrol_first(signed_in, user):
    client = signed_in(user)
    assert client.post("/api/v1/account/2sv/recovery-codes").json()["code"] == "two_step_enrolment_required"
    page = client.get("/account/security/step-up/?next=/account/security/")
    assert "Turn on two-step verification" in page.content.decode()


def test_the_recovery_codes_page_regenerates_after_a_fresh_step(fully_signed_in, user_with_totp):
    client = fully_signed_in(user_with_totp)
    assert "Make new recovery codes?" in client.get("/account/security/2sv/recovery-codes/").content.decode()
    done = client.post("/account/security/2sv/recovery-codes/")
    assert done.content.decode().count("<li><code>") == 10
