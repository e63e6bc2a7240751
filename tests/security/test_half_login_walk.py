"""A session that passed the password but not the second step reaches nothing but the verify page and
logout (SPEC §6). The URLs come from Django's resolver, so every new page and endpoint is covered."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

# Reachable while the second step is pending (the gate's open list in security/middleware.py).
OPEN_WHILE_PENDING = {
    "/login/verify/",
    "/logout/",
    "/api/v1/auth/verify",
    "/api/v1/auth/verify/email-code",
    "/api/v1/auth/logout",
    "/api/v1/auth/csrf",
}
# Static files are served by WhiteNoise before any session is read, so they never appear here; every
# other page, public ones included (login, password reset, schema and docs), is closed to a
# half-signed-in session: it must finish or cancel the second step first.


def _value(converter: str, shop_slug: str) -> str:
    return {
        "int": "1",
        "slug": shop_slug,
        "uuid": str(uuid.UUID(int=1)),
        "path": "1",
    }.get(converter, "products")


def _fill_route(route: str, shop_slug: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _value(m.group(1) or "str", shop_slug), route)


def _fill_regex(regex: str) -> str:
    def group(match):
        body = match.group(1)
        # An alternation of literals (the admin's app labels): take the first.
        first = body.split("|")[0]
        return first if re.fullmatch(r"[\w-]+", first) else "1"

    filled = re.sub(r"\(\?P<\w+>([^)]*)\)", group, regex)
    return filled.replace("^", "").replace("$", "").replace("\\", "")


def _fill(pattern, shop_slug: str) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern), shop_slug)
    assert isinstance(pattern, RegexPattern)
    return _fill_regex(pattern.regex.pattern)


def every_url(shop_slug: str):
    """One concrete path per URL pattern of the whole project."""

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + _fill(entry.pattern, shop_slug))
            elif isinstance(entry, URLPattern):
                yield prefix + _fill(entry.pattern, shop_slug), entry

    return [("/" + path, entry) for path, entry in walk(get_resolver().url_patterns, "")]


def test_the_walk_builds_a_resolvable_url_for_every_pattern(shop):
    urls = every_url(shop.slug)
    assert len(urls) > 50
    for path, entry in urls:
        assert resolve(path).func is entry.callback, path


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_session_with_only_the_password_reaches_no_page_and_no_endpoint(
    method, half_signed_in, user_with_totp, shop
):
    shop.memberships.create(user=user_with_totp, roles=["main_admin"])
    client = half_signed_in(user_with_totp)
    checked = 0
    for path, _ in every_url(shop.slug):
        if path in OPEN_WHILE_PENDING:
            continue
        response = getattr(client, method)(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, (path, response.status_code)
            assert response.json()["code"] == "two_step_required", path
        else:
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"] == "/login/verify/", path
        checked += 1
    assert checked > 50
    # Still pending: nothing above let the session through.
    assert client.get("/shops/")["Location"] == "/login/verify/"


def test_the_open_paths_answer_without_letting_the_session_through(half_signed_in, user_with_totp):
    client = half_signed_in(user_with_totp)
    assert client.get("/login/verify/").status_code == 200
    assert client.get("/api/v1/auth/csrf").status_code == 200
    assert client.post("/api/v1/auth/verify", {"method": "totp", "code": "000000"}).status_code in (400, 429)
    assert client.get("/api/v1/me").status_code == 401
