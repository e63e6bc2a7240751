"""Every response that carries a second-step secret tells every cache not to keep it (no-store)."""

import pyotp
import pytest

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_enrolment_secret_and_recovery_codes_are_never_stored(signed_in, user):
    client = signed_in(user)
    page = client.get("/account/security/2sv/totp/")
    assert page.status_code == 200 and no_store(page)
    started = client.post("/api/v1/account/2sv/totp", content_type="application/json")
    assert started.status_code == 201 and started.json()["secret"] and no_store(started)
    code = pyotp.TOTP(started.json()["secret"]).now()
    confirmed = client.post(
        "/api/v1/account/2sv/totp/confirm", {"code": code}, content_type="application/json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["recovery_codes"] and no_store(confirmed)
    step_up = client.post(
        "/api/v1/account/2sv/step-up",
        {"method": "recovery_code", "code": confirmed.json()["recovery_codes"][0]},
    )
    assert step_up.status_code == 200
    again = client.post("/api/v1/account/2sv/recovery-codes")
    assert again.status_code == 200 and no_store(again)
    page = client.post("/account/security/2sv/recovery-codes/")
    assert page.status_code == 200 and no_store(page)
