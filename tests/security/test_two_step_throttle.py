"""Guessing codes hits a growing delay long before 10^6 tries, per device and per account (SPEC §6)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def _guess(client, code="000000", method="totp"):
    return client.post("/api/v1/auth/verify", {"method": method, "code": code})


def _wrong_code(user) -> str:
    current = {totp_code(user, steps) for steps in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in current)


def test_brute_force_of_codes_meets_a_growing_delay(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    wrong = _wrong_code(user_with_totp)
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(12):
            response = _guess(client, wrong)
            while response.status_code == 429:
                waits.append(int(response["Retry-After"]))
                assert response.json()["code"] == "throttled"
                clock.shift(timedelta(seconds=waits[-1]))
                response = _guess(client, wrong)
            assert response.status_code == 400
    # Each wait is at least as long as the one before, and they double: 12 guesses already cost
    # over half an hour, so 10^6 guesses would take far longer than the codes live.
    assert waits == sorted(waits)
    assert waits[-1] >= 2 * waits[-2] >= 4 * waits[-3]
    assert sum(waits) > 30 * 60


def test_while_throttled_even_the_right_code_waits(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(5):
            _guess(client, _wrong_code(user_with_totp))
        response = _guess(client, totp_code(user_with_totp))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    detail = response.json()["detail"]
    assert detail.startswith("Too many wrong codes. Wait ") and detail.count("Wait") == 1


def test_the_account_throttle_survives_a_new_session_and_spans_methods(
    client, half_signed_in, user_with_totp
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        half_signed_in(user_with_totp)
        for _ in range(3):
            _guess(client, _wrong_code(user_with_totp))
            clock.shift(timedelta(seconds=10))  # let the app's own device throttle pass
        assert _guess(client, _wrong_code(user_with_totp)).status_code == 400

        fresh = Client()
        half_signed_in(user_with_totp, client=fresh)
        # A new session and another method (recovery codes, whose device never failed) still wait.
        response = _guess(fresh, user_with_totp.recovery_codes[0], method="recovery_code")
        assert response.status_code == 429


def test_the_verify_page_shows_how_long_to_wait(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    with time_machine.travel(timezone.now(), tick=False):
        client.post("/login/verify/", {"code": _wrong_code(user_with_totp)})
        page = client.post("/login/verify/", {"code": _wrong_code(user_with_totp)})
    assert page.status_code == 429
    assert "Too many wrong codes. Wait" in page.content.decode()
    assert page["Retry-After"]


def test_a_success_clears_the_account_count(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            _guess(client, _wrong_code(user_with_totp))
            clock.shift(timedelta(seconds=10))
        assert _guess(client, totp_code(user_with_totp)).status_code == 200
    user_with_totp.refresh_from_db()
    assert user_with_totp.two_step_failures == 0


# A browser that completed a full sign-in on the account before keeps a budget of its own.


@pytest.fixture
def known_browser(fully_signed_in, user_with_totp):
    browser = fully_signed_in(user_with_totp, client=Client())
    browser.post("/logout/")
    return browser


def test_someone_guessing_codes_with_the_password_cannot_keep_the_owners_browser_waiting(
    known_browser, half_signed_in, user_with_totp
):
    wrong = _wrong_code(user_with_totp)
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False) as clock:
        thief = half_signed_in(user_with_totp, client=Client())
        for _ in range(8):
            response = _guess(thief, wrong)
            while response.status_code == 429:
                clock.shift(timedelta(seconds=int(response["Retry-After"])))
                response = _guess(thief, wrong)
        refused = _guess(thief, totp_code(user_with_totp))
        assert refused.status_code == 429 and int(refused["Retry-After"]) >= 60
        half_signed_in(user_with_totp, client=known_browser)
        response = known_browser.post("/login/verify/", {"code": totp_code(user_with_totp)})
        assert response.status_code == 302 and response["Location"] == "/shops/"
        # The thief still waits.
        assert _guess(thief, totp_code(user_with_totp, 1)).status_code == 429


def test_a_known_browser_waits_after_its_own_wrong_codes_but_nobody_else_does(
    known_browser, half_signed_in, user_with_totp
):
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        half_signed_in(user_with_totp, client=known_browser)
        assert _guess(known_browser, _wrong_code(user_with_totp)).status_code == 400
        assert _guess(known_browser, _wrong_code(user_with_totp)).status_code == 429
        elsewhere = half_signed_in(user_with_totp, client=Client())
        assert _guess(elsewhere, totp_code(user_with_totp)).status_code == 200
    user_with_totp.refresh_from_db()
    assert user_with_totp.two_step_failures == 0
