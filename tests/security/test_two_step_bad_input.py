"""Every two-step endpoint answers odd input with a clear 4xx, never a server error (SPEC §10)."""

import json

import pytest

from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

ODD_BODIES = [
    "[]",
    '"code"',
    "null",
    "{not json",
    json.dumps({"method": ["totp"], "code": {"a": 1}}),
    json.dumps({"method": "totp", "code": "\u0000\u0000\u0000"}),
    json.dumps({"method": "recovery_code", "code": "é" * 64}),
    json.dumps({"method": "totp", "code": "9" * 10_000}),
    json.dumps({"method": "email", "code": ""}),
]


@pytest.mark.parametrize("body", ODD_BODIES)
def test_the_verify_endpoint_answers_odd_bodies_with_a_4xx(half_signed_in, user_with_totp, body):
    client = half_signed_in(user_with_totp)
    response = client.post("/api/v1/auth/verify", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert {"detail", "code"} <= response.json().keys()


@pytest.mark.parametrize("path", ["/api/v1/account/2sv/totp/confirm", "/api/v1/account/2sv/step-up"])
@pytest.mark.parametrize("body", ODD_BODIES)
def test_account_endpoints_answer_odd_bodies_with_a_4xx(fully_signed_in, user_with_totp, path, body):
    client = fully_signed_in(user_with_totp)
    response = client.post(path, body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert {"detail", "code"} <= response.json().keys()


@pytest.mark.parametrize("code", ["", "\x00", "1" * 65, "12 34 56", "abcde-fghij"])
def test_the_pages_answer_odd_codes_with_a_4xx(half_signed_in, user_with_totp, code):
    client = half_signed_in(user_with_totp)
    assert 400 <= client.post("/login/verify/", {"code": code}).status_code < 500


def test_signed_out_callers_get_401(client):
    for path in ("/api/v1/auth/verify", "/api/v1/account/2sv/totp", "/api/v1/account/2sv/recovery-codes"):
        assert client.post(path).status_code == 401, path
    assert client.delete("/api/v1/account/2sv/totp").status_code == 401


def test_the_verify_page_returns_to_the_page_asked_for_before_signing_in(client, user_with_totp, password):
    response = client.post(
        "/login/", {"email": user_with_totp.email, "password": password, "next": "/account/security/"}
    )
    assert response["Location"] == "/login/verify/?next=%2Faccount%2Fsecurity%2F"
    done = client.post("/login/verify/", {"code": totp_code(user_with_totp), "next": "/account/security/"})
    assert done["Location"] == "/account/security/"
