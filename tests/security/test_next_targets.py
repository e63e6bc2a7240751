"""A `next` that is not a path on this site is ignored, never a server error after a state change."""

import pytest

from audit.models import EventKind, SecurityEvent
from security.models import UserSession
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

BAD_TARGETS = [
    "foo",
    "accounts:shops",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "javascript:x",
    # Browsers drop tabs and newlines from a URL: these would become "//evil.example".
    "/\t/evil.example",
    "/\n/evil.example",
    "http:/evil.example",
]


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_sign_in_with_a_bad_next_lands_on_the_shops(client, user, password, target):
    response = client.post(f"/login/?next={target}", {"email": user.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/shops/"


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_the_second_step_with_a_bad_next_lands_on_the_shops(half_signed_in, user_with_totp, target):
    client = half_signed_in(user_with_totp)
    response = client.post(f"/login/verify/?next={target}", {"code": totp_code(user_with_totp)})
    assert response.status_code == 302
    assert response["Location"] == "/shops/"
    assert UserSession.objects.filter(user=user_with_totp).count() == 1


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_step_up_with_a_bad_next_returns_to_account_security(fully_signed_in, user_with_totp, target):
    client = fully_signed_in(user_with_totp)
    response = client.post(
        f"/account/security/step-up/?next={target}", {"code": user_with_totp.recovery_codes[0]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/security/"
    assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.RECOVERY_CODE_USED).count() == 1


def test_a_good_next_is_followed(client, user, password):
    response = client.post("/login/?next=/account/security/", {"email": user.email, "password": password})
    assert response["Location"] == "/account/security/"


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_the_shops_two_step_setting_with_a_bad_next_stays_on_its_page(
    fully_signed_in, owner_with_totp, target
):
    client = fully_signed_in(owner_with_totp)
    response = client.post(f"/shop/demo-shop/settings/two-step/?next={target}", {"require": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/shop/demo-shop/settings/two-step/"


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_the_password_prompt_with_a_bad_next_returns_to_account_security(signed_in, user, password, target):
    response = signed_in(user).post(
        "/account/security/confirm-password/", {"password": password, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/security/"


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_the_admin_login_hands_a_bad_next_to_the_product_login_which_ignores_it(
    client, user, password, target
):
    from urllib.parse import quote

    handed = client.get(f"/admin/login/?next={quote(target)}")
    assert handed.status_code == 302 and handed["Location"].startswith("/login/?")
    response = client.post(handed["Location"], {"email": user.email, "password": password})
    assert response["Location"] == "/shops/"
