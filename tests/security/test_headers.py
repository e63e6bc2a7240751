import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

TOTP_KEY = "dGhpcnR5LXR3by1ieXRlcy1vZi10ZXN0LWtleS14eXo="

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


@pytest.mark.parametrize("path", ["/login/", "/password-reset/", "/no-such-page/", "/api/v1/auth/csrf"])
def test_every_anonymous_response_carries_the_strict_policy_and_the_other_headers(client, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == STRICT
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/shops/", "/shop/demo-shop/", "/account/security/", "/account/security/events/", "/api/v1/me"]
)
def test_every_signed_in_page_carries_the_strict_policy(signed_in, owner, path):
    response = signed_in(owner).get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT


def test_pages_have_no_inline_script_or_event_handler(signed_in, owner):
    client = signed_in(owner)
    for path in ["/login/", "/shops/", "/shop/demo-shop/", "/account/security/", "/shop/demo-shop/security/"]:
        html = client.get(path).content.decode().lower()
        for tag in html.split("<script")[1:]:
            assert " src=" in tag.split(">")[0], f"inline script on {path}"
        assert " onclick=" not in html and " onload=" not in html and " onsubmit=" not in html


def test_the_api_docs_load_swagger_ui_from_our_own_static_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # Its start-up script is a file too, so scripts stay 'self' there.
    assert "script-src 'self';" in page["Content-Security-Policy"]
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def _production_settings(**env) -> dict:
    root = Path(__file__).resolve().parents[2]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'hsts': settings.SECURE_HSTS_SECONDS, 'secure': settings.SESSION_COOKIE_SECURE}))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sellercenter.settings",
        "SECRET_KEY": "x" * 50,
        "TOTP_ENCRYPTION_KEY": TOTP_KEY,
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_hsts_is_sent_for_a_year_outside_debug_and_not_in_development():
    assert _production_settings(DEBUG="false")["hsts"] == 365 * 24 * 3600
    assert _production_settings(DEBUG="false")["secure"] is True
    assert _production_settings(DEBUG="true")["hsts"] == 0


def test_production_refuses_to_start_without_a_totp_encryption_key():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _production_settings(DEBUG="false", TOTP_ENCRYPTION_KEY="")
    assert "TOTP_ENCRYPTION_KEY must be set" in refused.value.stderr


def test_production_refuses_to_start_with_login_protection_off():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _production_settings(DEBUG="false", LOGIN_PROTECTION="false")
    assert "only for the benchmark" in refused.value.stderr
    assert _production_settings(DEBUG="false", LOGIN_PROTECTION="true")["secure"] is True


# Answers cut short before any view runs carry the headers too (the middleware order).


def assert_headers(response):
    assert response["Content-Security-Policy"] == STRICT, response.status_code
    assert response["X-Frame-Options"] == "DENY"


def test_the_gate_holds_a_half_signed_in_session_with_the_headers_on(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    page = client.get("/shops/")
    assert page.status_code == 302 and page["Location"] == "/login/verify/"
    assert_headers(page)
    api = client.get("/api/v1/me")
    assert api.status_code == 401 and api.json()["code"] == "two_step_required"
    assert_headers(api)


def test_the_gate_ends_an_expired_session_with_the_headers_on(signed_in, owner, settings):
    client = signed_in(owner)
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=-1)
    page = client.get("/shops/")
    assert page.status_code == 302 and page["Location"] == "/login/"
    assert_headers(page)
    client = signed_in(owner, client=Client())
    api = client.get("/api/v1/me")
    assert api.status_code == 401 and api.json()["code"] == "session_expired"
    assert_headers(api)


def test_the_gate_refuses_a_frozen_account_with_the_headers_on(signed_in, owner):
    client = signed_in(owner)
    owner.frozen_at = timezone.now()
    owner.save()
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "account_frozen"
    assert_headers(api)


def test_a_shop_requiring_two_step_sends_a_member_to_enrol_with_the_headers_on(
    signed_in, shop_requiring_2sv, member_with
):
    client = signed_in(member_with("main_admin"))
    page = client.get("/shop/demo-shop/")
    assert page.status_code == 302 and page["Location"] == "/account/security/2sv/totp/"
    assert_headers(page)


def test_a_csrf_refusal_and_a_404_carry_the_headers(db):
    refused = Client(enforce_csrf_checks=True).post("/login/", {"email": "a@b.example", "password": "x"})
    assert refused.status_code == 403
    assert_headers(refused)
    assert_headers(Client().get("/no-such-page/"))


def _production_client(code: str, **env) -> str:
    """Run `code` with production settings (DEBUG off) in a fresh process; returns its last line."""
    root = Path(__file__).resolve().parents[2]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sellercenter.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "TOTP_ENCRYPTION_KEY": TOTP_KEY,
        "ALLOWED_HOSTS": "seller.example.com",
        **env,
    }
    if "BEHIND_TLS_PROXY" not in env:
        environment.pop("BEHIND_TLS_PROXY", None)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


REDIRECT_PROBE = (
    "import json, django; django.setup(); from django.test import Client; "
    "c = Client(HTTP_HOST='seller.example.com'); "
    "r = c.get('/login/', **{EXTRA}); "
    "print(json.dumps({'status': r.status_code, 'location': r.get('Location'), "
    "'csp': r.get('Content-Security-Policy'), 'xfo': r.get('X-Frame-Options')}))"
)


def test_production_redirects_plain_http_to_https_with_the_headers_on():
    answer = json.loads(_production_client(REDIRECT_PROBE.replace("{EXTRA}", "{}")))
    assert answer["status"] == 301
    assert answer["location"] == "https://seller.example.com/login/"
    assert answer["csp"] == STRICT and answer["xfo"] == "DENY"


def test_behind_a_tls_proxy_the_proxy_redirects_and_its_https_header_is_trusted():
    plain = json.loads(_production_client(REDIRECT_PROBE.replace("{EXTRA}", "{}"), BEHIND_TLS_PROXY="true"))
    assert plain["status"] == 200
    over_tls = json.loads(
        _production_client(
            REDIRECT_PROBE.replace("{EXTRA}", "{'HTTP_X_FORWARDED_PROTO': 'https'}"), BEHIND_TLS_PROXY="true"
        )
    )
    assert over_tls["status"] == 200


def _check_deploy(**env) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k7#Qp" + "x9" * 30,
        "TOTP_ENCRYPTION_KEY": TOTP_KEY,
        "ALLOWED_HOSTS": "seller.example.com",
        **env,
    }
    # The test run's own switches (conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE) are no deployment's.
    for variable in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(variable, None)
    if "BEHIND_TLS_PROXY" not in env:
        environment.pop("BEHIND_TLS_PROXY", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_behind_a_tls_proxy_warns_only_that_the_proxy_must_redirect():
    result = _check_deploy(BEHIND_TLS_PROXY="true")
    assert result.returncode == 0
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("?: (")]
    assert [line.split(")")[0] for line in warnings] == ["?: (security.W008"]


def test_what_a_signed_in_person_is_shown_is_never_cached(signed_in, user):
    user.anti_phishing_phrase = "blue heron"
    user.save()
    client = signed_in(user)
    for path in ("/api/v1/account/profile", "/api/v1/me", "/account/information/", "/shops/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    assert "blue heron" in client.get("/api/v1/account/profile").content.decode()
