"""Two-step settings change only after a recent authentication: a sign-in or the current password
within 5 minutes (SPEC §6, issue 15). A stolen session cookie alone cannot turn two-step on with the
thief's authenticator, off, make recovery codes or change the preferred method."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.selectors import two_step_enabled
from audit.models import EventKind, SecurityEvent
from tests.conftest import totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def six_minutes_later():
    """The session signed in six minutes ago and has been used since (not idle)."""
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True) as traveller:
        yield traveller


def api(client, method, path, data=None):
    return getattr(client, method)(f"/api/v1/{path}", data or {}, content_type="application/json")


def test_a_stolen_session_cannot_turn_on_two_step_with_its_own_authenticator(
    signed_in, user, password, six_minutes_later
):
    thief = signed_in(user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        refused = api(thief, "post", "account/2sv/totp")
        assert refused.status_code == 403
        assert refused.json()["code"] == "reauthentication_required"
        assert "password" in refused.json()["detail"]
        wrong = api(thief, "post", "account/2sv/totp", {"password": "not-The-password-1"})
        assert wrong.status_code == 403 and wrong.json()["code"] == "reauthentication_required"
        confirm = api(thief, "post", "account/2sv/totp/confirm", {"code": "123456"})
        assert confirm.status_code == 403 and confirm.json()["code"] == "reauthentication_required"
    assert not two_step_enabled(user)
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.REAUTHENTICATION_FAILURE).count() == 1


def test_the_password_in_the_body_lets_the_owner_enrol_and_the_secret_is_never_cached(
    signed_in, user, password
):
    client = signed_in(user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        started = api(client, "post", "account/2sv/totp", {"password": password})
        assert started.status_code == 201
        assert started["Cache-Control"] == "no-store"
        code = pyotp.TOTP(started.json()["secret"]).now()
        # The password just given counts for five minutes: the confirmation needs no second one.
        confirmed = api(client, "post", "account/2sv/totp/confirm", {"code": code})
        assert confirmed.status_code == 200
        assert confirmed["Cache-Control"] == "no-store"
    assert two_step_enabled(user)


def test_right_after_signing_in_no_password_is_asked(signed_in, user):
    client = signed_in(user)
    assert api(client, "post", "account/2sv/totp").status_code == 201


def test_a_wrong_password_sent_within_the_window_is_still_refused(signed_in, user):
    client = signed_in(user)
    wrong = api(client, "post", "account/2sv/totp", {"password": "not-The-password-1"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "reauthentication_required"
    assert "not your current password" in wrong.json()["detail"]
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.REAUTHENTICATION_FAILURE).count() == 1


def test_enrolment_started_in_time_cannot_be_confirmed_after_the_window(signed_in, user, password):
    client = signed_in(user)
    secret = api(client, "post", "account/2sv/totp").json()["secret"]
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        late = api(client, "post", "account/2sv/totp/confirm", {"code": pyotp.TOTP(secret).now()})
        assert late.status_code == 403 and late.json()["code"] == "reauthentication_required"
        with_password = api(
            client,
            "post",
            "account/2sv/totp/confirm",
            {"code": pyotp.TOTP(secret).now(), "password": password},
        )
        assert with_password.status_code == 200


def test_the_enrolment_page_asks_for_the_password_before_showing_a_secret(signed_in, user, password):
    client = signed_in(user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        asked = client.get("/account/security/2sv/totp/")
        assert asked.status_code == 302
        assert (
            asked["Location"]
            == "/account/security/confirm-password/?next=%2Faccount%2Fsecurity%2F2sv%2Ftotp%2F"
        )
        prompt = client.get(asked["Location"])
        assert prompt.status_code == 200 and 'name="password"' in prompt.content.decode()
        wrong = client.post(
            asked["Location"], {"password": "nope-Nope-1", "next": "/account/security/2sv/totp/"}
        )
        assert wrong.status_code == 400 and "not your current password" in wrong.content.decode()
        right = client.post(asked["Location"], {"password": password, "next": "/account/security/2sv/totp/"})
        assert right["Location"] == "/account/security/2sv/totp/"
        page = client.get("/account/security/2sv/totp/")
        assert page.status_code == 200 and 'name="code"' in page.content.decode()


def test_changing_the_preferred_method_needs_a_recent_authentication(
    fully_signed_in, user_with_totp, password
):
    client = fully_signed_in(user_with_totp)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        asked = client.post("/account/security/2sv/preferred/", {"method": "email"})
        assert asked["Location"] == "/account/security/confirm-password/?next=%2Faccount%2Fsecurity%2F"
        user_with_totp.refresh_from_db()
        assert user_with_totp.preferred_two_step_method == "totp"
        client.post(asked["Location"], {"password": password, "next": "/account/security/"})
        client.post("/account/security/2sv/preferred/", {"method": "email"})
    user_with_totp.refresh_from_db()
    assert user_with_totp.preferred_two_step_method == "email"


@pytest.fixture
def elsewhere(half_signed_in, user_with_totp):
    """Another browser fully signed in to the account (with a recovery code: the app's code of this
    30 seconds is the test client's)."""
    browser = half_signed_in(user_with_totp, client=Client())
    assert browser.post("/login/verify/", {"code": user_with_totp.recovery_codes[-1]}).status_code == 302
    return browser


def test_turning_two_step_off_needs_a_recent_authentication_and_ends_the_other_sessions(
    fully_signed_in, user_with_totp, password, elsewhere
):
    client = fully_signed_in(user_with_totp, client=Client())
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        refused = api(client, "delete", "account/2sv/totp")
        assert refused.json()["code"] == "reauthentication_required"
        client.post("/api/v1/account/2sv/step-up", {"method": "totp", "code": totp_code(user_with_totp, 1)})
        assert api(client, "delete", "account/2sv/totp", {"password": password}).status_code == 204
        assert not two_step_enabled(user_with_totp)
        assert elsewhere.get("/shops/").status_code == 302
        assert client.get("/shops/").status_code == 200
    event = SecurityEvent.objects.get(user=user_with_totp, kind=EventKind.TWO_STEP_DISABLED)
    assert event.details["sessions_ended"] == 1


def test_new_recovery_codes_end_the_other_sessions(fully_signed_in, user_with_totp, elsewhere):
    client = fully_signed_in(user_with_totp, client=Client())
    page = client.post("/account/security/2sv/recovery-codes/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert elsewhere.get("/shops/").status_code == 302
    assert client.get("/shops/").status_code == 200


def test_guessing_the_password_through_the_prompt_is_rationed(signed_in, user):
    client = signed_in(user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        answers = [
            client.post("/account/security/confirm-password/", {"password": f"Guess-{n}-x!"}).status_code
            for n in range(11)
        ]
    assert answers == [400] * 10 + [429]


@pytest.mark.parametrize("target", ["foo", "//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_the_password_prompt_never_leaves_the_site(signed_in, user, password, target):
    client = signed_in(user)
    response = client.post("/account/security/confirm-password/", {"password": password, "next": target})
    assert response["Location"] == "/account/security/"
