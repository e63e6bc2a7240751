import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    """A client that enforces CSRF like a browser would, with the token fetched from auth/csrf."""
    client = Client(enforce_csrf_checks=True)
    client.get("/api/v1/auth/csrf")

    def call(method, path, data=None):
        # Django rotates the token at sign-in, so read the cookie afresh as a browser script would.
        return getattr(client, method)(
            path,
            data=json.dumps(data) if data is not None else None,
            content_type="application/json",
            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        )

    call.client = client
    return call


def test_login_returns_ok_and_me_lists_shops_with_roles_and_grants(api, owner, password, member_with):
    response = api("post", "/api/v1/auth/login", {"email": owner.email, "password": password})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "methods": []}
    me = api("get", "/api/v1/me").json()
    assert me["email"] == owner.email
    assert me["two_step_enabled"] is False
    assert me["shops"][0]["slug"] == "demo-shop"
    assert me["shops"][0]["roles"] == ["owner"]
    assert "store.sensitive" in me["shops"][0]["grants"]


def test_member_sees_only_the_grants_of_their_roles(api, member_with, password):
    agent = member_with("customer_service_agent")
    api("post", "/api/v1/auth/login", {"email": agent.email, "password": password})
    shop = api("get", "/api/v1/me").json()["shops"][0]
    assert shop["roles"] == ["customer_service_agent"]
    assert shop["grants"] == ["customer_service.reply", "customer_service.view", "orders.view"]


def test_wrong_password_and_unknown_email_answer_the_same_400(api, owner):
    wrong = api("post", "/api/v1/auth/login", {"email": owner.email, "password": "Wrong-pass-1"})
    unknown = api("post", "/api/v1/auth/login", {"email": "nobody@x.example", "password": "Wrong-pass-1"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "not-an-email", "password": "x"},
        {"email": ["a"], "password": {"b": 1}},
        {"email": "a@b.example", "password": "x" * 5000},
        {"email": "\x00@b.example", "password": "p"},
    ],
)
def test_bad_login_input_is_a_clear_400_with_field_errors(api, body):
    response = api("post", "/api/v1/auth/login", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]


def test_malformed_json_is_a_400_not_a_500(api):
    response = api.client.post(
        "/api/v1/auth/login",
        data="{not json",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=api.client.cookies["csrftoken"].value,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_login_without_csrf_token_is_refused(owner, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/auth/login", {"email": owner.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_me_without_a_session_is_401(api):
    response = api("get", "/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_frozen_account_with_the_right_password_gets_403_account_frozen(api, owner, password):
    from django.utils import timezone

    owner.frozen_at = timezone.now()
    owner.save()
    response = api("post", "/api/v1/auth/login", {"email": owner.email, "password": password})
    assert response.status_code == 403
    assert response.json()["code"] == "account_frozen"
    wrong = api("post", "/api/v1/auth/login", {"email": owner.email, "password": "Wrong-pass-1"})
    assert wrong.json()["code"] == "invalid_credentials"


def test_logout_ends_the_api_session(api, owner, password):
    api("post", "/api/v1/auth/login", {"email": owner.email, "password": password})
    assert api("post", "/api/v1/auth/logout").status_code == 204
    assert api("get", "/api/v1/me").status_code == 401
