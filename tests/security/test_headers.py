import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

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


def test_production_refuses_to_start_with_login_protection_off():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _production_settings(DEBUG="false", LOGIN_PROTECTION="false")
    assert "only for the benchmark" in refused.value.stderr
    assert _production_settings(DEBUG="false", LOGIN_PROTECTION="true")["secure"] is True
