"""Malformed and deeply nested JSON bodies get a clear 400 on every unsafe API method (SPEC §10)."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sellercenter.api.parsers import MAX_DEPTH, depth_of
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

UNSAFE = ["post", "put", "patch", "delete"]
SAMPLE_ARGUMENTS = {"slug": "demo-shop", "pk": "1", "id": "1", "reference": "ABC123", "int": "1"}


def api_paths() -> list[str]:
    """Every route under /api/v1/, with sample values in its converters."""
    [v1] = [
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"
    ]
    paths = []
    for pattern in v1.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        for name, converter in pattern.pattern.converters.items():
            value = SAMPLE_ARGUMENTS.get(name, "1" if converter.regex == "[0-9]+" else "x")
            route = route.replace(
                f"<{type(converter).__name__.removesuffix('Converter').lower()}:{name}>", value
            )
            route = route.replace(f"<{name}>", value)
        assert "<" not in route, route
        paths.append(f"/api/v1/{route}")
    return paths


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def csrf_client(client=None) -> Client:
    client = client or Client(enforce_csrf_checks=True)
    client.get("/api/v1/auth/csrf")
    client.csrf = client.cookies["csrftoken"].value
    return client


def send(client, method, path, body):
    return getattr(client, method)(path, body, content_type="application/json", HTTP_X_CSRFTOKEN=client.csrf)


def test_every_api_route_is_walked():
    paths = api_paths()
    assert "/api/v1/auth/login" in paths and "/api/v1/shops/demo-shop/events" in paths


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("path", api_paths())
def test_928_levels_of_nesting_get_a_400_signed_out(path, method):
    response = send(csrf_client(), method, path, deep(928))
    assert response.status_code == 400, (path, method, response.content[:200])
    assert response.json()["code"] == "parse_error"
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("path", api_paths())
def test_928_levels_of_nesting_get_a_400_signed_in_with_two_step(path, method, owner_with_totp, password):
    client = csrf_client()
    client.post(
        "/api/v1/auth/login",
        {"email": owner_with_totp.email, "password": password},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.csrf,
    )
    client = csrf_client(client)
    verified = send(
        client, "post", "/api/v1/auth/verify", {"method": "totp", "code": totp_code(owner_with_totp)}
    )
    assert verified.status_code == 200
    client = csrf_client(client)
    response = send(client, method, path, deep(928))
    assert response.status_code == 400, (path, method, response.content[:200])
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body", [deep(MAX_DEPTH + 1), deep(100_000), '{"a":' * 40 + "1" + "}" * 40])
def test_any_nesting_past_the_bound_is_refused_and_nothing_is_written(client, body, owner, password):
    response = client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body", ["{", "[1,]", '{"email": "a@b.example", "password": NaN}', "\x00"])
def test_malformed_json_is_a_400_with_the_stable_code(client, body):
    response = client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_ordinary_bodies_within_the_bound_still_work(client, owner, password):
    response = client.post(
        "/api/v1/auth/login", {"email": owner.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("value", "depth"), [(1, 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[[]], []], 3), (deep(3), 0)]
)
def test_depth_counts_arrays_and_objects(value, depth):
    assert depth_of(value) == depth
