"""A change to a member counts from their very next request, page or API, on any web process (SPEC §5).

The member browses a gunicorn server with two worker processes; the owner changes them through the
API of that server. Memberships are read from the database on every request, so neither worker can
answer from what it knew before.
"""

import http.cookiejar
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyotp
import pytest
from django.db import connection

from bench.servers import gunicorn
from security.two_step import devices
from tests.conftest import add_totp
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Enough requests that both workers answer some of them.
TRIES = 6


class Browser:
    """Cookies and CSRF like a browser, over real HTTP to the server."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get("/api/v1/auth/csrf")

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def request(self, method: str, path: str, body=None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf()} if method != "GET" else {}
        request = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get(self, path: str) -> int:
        return self.request("GET", path)[0]

    def statuses(self, path: str) -> set[int]:
        return {self.get(path) for _ in range(TRIES)}


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user, secret = urllib.parse.quote(db["USER"] or ""), urllib.parse.quote(db["PASSWORD"] or "")
    return f"postgres://{user}:{secret}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def server(argon2, tmp_path):
    """gunicorn with two workers on the test database; its base URL."""
    environment = {
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "DEBUG": "true",  # plain http: cookies must not be Secure here
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": "",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "") or "team-two-process-test-key",
    }
    with gunicorn("team-two-workers", "sellercenter.settings", tmp_path, **environment) as port:
        yield f"http://127.0.0.1:{port}"


def signed_in(base: str, user, password: str) -> Browser:
    browser = Browser(base)
    status, body = browser.request("POST", "/api/v1/auth/login", {"email": user.email, "password": password})
    assert status == 200, body
    if json.loads(body)["status"] == "2sv_required":
        code = pyotp.TOTP(devices.base32_secret(devices.totp_device(user))).now()
        status, body = browser.request("POST", "/api/v1/auth/verify", {"method": "totp", "code": code})
        assert status == 200, body
    return browser


def test_suspending_removing_a_role_and_removing_count_from_the_next_request_on_either_worker(
    server, shop, password
):
    owner = add_totp(shop.owner)
    person = UserFactory(email="fin@example.com")
    membership = MembershipFactory(
        shop=shop, user=person, roles=["finance_specialist", "marketing_specialist"]
    )
    member = signed_in(server, person, password)
    manager = signed_in(server, owner, password)
    member_url = f"/api/v1/shops/{shop.slug}/members/{membership.pk}"

    def shop_in_me() -> set[bool]:
        return {
            any(s["slug"] == shop.slug for s in json.loads(member.request("GET", "/api/v1/me")[1])["shops"])
            for _ in range(TRIES)
        }

    assert member.statuses(f"/shop/{shop.slug}/marketing/") == {200}
    # A member without users.manage: 403 while a member, 404 once not.
    assert member.statuses(f"/api/v1/shops/{shop.slug}/events") == {403}
    assert shop_in_me() == {True}

    assert manager.request("PATCH", member_url, {"status": "suspended"})[0] == 200
    assert member.statuses(f"/shop/{shop.slug}/finance/") == {404}
    assert member.statuses(f"/api/v1/shops/{shop.slug}/events") == {404}
    assert shop_in_me() == {False}

    assert manager.request("PATCH", member_url, {"status": "active"})[0] == 200
    assert member.statuses(f"/shop/{shop.slug}/marketing/") == {200}

    assert manager.request("PATCH", member_url, {"roles": ["finance_specialist"]})[0] == 200
    assert member.statuses(f"/shop/{shop.slug}/marketing/") == {403}
    assert member.statuses(f"/shop/{shop.slug}/finance/") == {200}

    assert manager.request("DELETE", member_url)[0] == 204
    assert member.statuses(f"/shop/{shop.slug}/finance/") == {404}
    assert member.statuses(f"/api/v1/shops/{shop.slug}/events") == {404}
    assert shop_in_me() == {False}
