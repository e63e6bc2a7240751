"""POST /api/v1/password/check: the rules as the person types, signed out and signed in."""

import pytest

from tests.factories import STRONG_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def test_a_strong_password_is_ok_with_its_score_and_no_failures(api):
    response = api.post_json("password/check", {"password": STRONG_PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "score": 3, "failures": [], "suggestions": []}


def test_a_weak_password_names_each_broken_rule_with_a_message(api):
    body = api.post_json("password/check", {"password": "abcd"}).json()
    assert body["ok"] is False
    codes = [failure["code"] for failure in body["failures"]]
    assert {"too_short", "missing_digit", "missing_symbol", "sequence", "too_guessable"} <= set(codes)
    assert all(failure["message"] for failure in body["failures"])
    assert body["score"] < 3
    assert body["suggestions"]


def test_signed_out_the_forms_details_count_for_similarity_and_birth_date(api):
    details = {"email": "ravi.kumar@example.com", "first_name": "Ravi", "last_name": "Kumar"}
    body = api.post_json(
        "password/check", {"password": "Kumar!2001q", "date_of_birth": "2001-02-03", **details}
    ).json()
    codes = {failure["code"] for failure in body["failures"]}
    assert {"similar", "birth_date"} <= codes


def test_signed_in_the_accounts_own_details_and_last_passwords_count(api, signed_in, password):
    user = UserFactory(first_name="Olusegun", last_name="Adeyemi")
    signed_in(user, client=api)
    body = api.post_json("password/check", {"password": password}).json()
    assert [failure["code"] for failure in body["failures"]] == ["reused"]
    body = api.post_json("password/check", {"password": "Olusegun!93x"}).json()
    assert "similar" in {failure["code"] for failure in body["failures"]}


def test_the_meter_compares_guesses_with_the_accounts_passwords_only_ten_times_an_hour(
    api, signed_in, password
):
    signed_in(UserFactory(), client=api)
    strong_guesses = [f"Vq8!mZ{n:02d}#wLp" for n in range(10)]
    for guess in strong_guesses:
        assert api.post_json("password/check", {"password": guess}).json()["ok"] is True
    # The eleventh comparison would tell a stolen session whether its guess is the current password.
    body = api.post_json("password/check", {"password": password}).json()
    assert "reused" not in {failure["code"] for failure in body["failures"]}
    # Submitting it still refuses it: the change itself always checks the history.
    change = api.post_json("account/password", {"current_password": password, "new_password": password})
    assert change.status_code == 400


def test_a_password_over_128_characters_is_too_long_not_an_error(api):
    body = api.post_json("password/check", {"password": "Gv7!kq2#Lm9@" * 20}).json()
    assert "too_long" in {failure["code"] for failure in body["failures"]}


def test_a_72_character_password_is_scored(api):
    response = api.post_json("password/check", {"password": ("Gv7!kq2#Lm9@xT" * 6)[:72]})
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_emoji_and_non_latin_passwords_are_checked(api):
    response = api.post_json("password/check", {"password": "Жёлтый 🦊 кот 7"})
    assert response.status_code == 200
    assert 0 <= response.json()["score"] <= 4


def test_an_empty_password_is_answered_with_the_rules_it_breaks(api):
    body = api.post_json("password/check", {"password": ""}).json()
    assert body["ok"] is False
    assert "too_short" in {failure["code"] for failure in body["failures"]}


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"password": None},
        {"password": ["a", "b"]},
        {"password": "x" * 5000},
        {"password": STRONG_PASSWORD, "date_of_birth": "not a date"},
        {"password": STRONG_PASSWORD, "email": "e" * 300},
    ],
)
def test_missing_or_malformed_fields_get_a_400_with_field_errors(api, payload):
    response = api.post_json("password/check", payload)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"just a string"', '{"password": "a\\u0000b"}'])
def test_a_body_that_is_not_an_object_of_strings_gets_a_400(api, body):
    response = api.post("/api/v1/password/check", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_check_is_throttled_per_ip_with_retry_after(api, settings, frozen_clock):
    settings.PASSWORD_CHECK_RATE = "3/min"
    for _ in range(3):
        assert api.post_json("password/check", {"password": STRONG_PASSWORD}).status_code == 200
    refused = api.post_json("password/check", {"password": STRONG_PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    other_ip = api.post_json("password/check", {"password": STRONG_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 200


def test_the_check_needs_a_csrf_token_like_every_unsafe_call(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/password/check", {"password": STRONG_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403


def test_the_history_is_only_consulted_once_every_other_rule_passes(api, signed_in, password, user):
    signed_in(user, client=api)
    body = api.post_json("password/check", {"password": password[:6]}).json()
    assert "reused" not in {failure["code"] for failure in body["failures"]}
    body = api.post_json("password/check", {"password": password}).json()
    assert [failure["code"] for failure in body["failures"]] == ["reused"]


def test_the_check_opens_again_when_the_window_has_passed(api, settings, frozen_clock):
    settings.PASSWORD_CHECK_RATE = "2/min"
    for _ in range(2):
        api.post_json("password/check", {"password": STRONG_PASSWORD})
    refused = api.post_json("password/check", {"password": STRONG_PASSWORD})
    assert refused.status_code == 429
    frozen_clock.shift(int(refused["Retry-After"]))
    assert api.post_json("password/check", {"password": STRONG_PASSWORD}).status_code == 200
