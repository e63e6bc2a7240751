"""Every error renders in the product's layout and says what happened, why and what to do, with a way
back (SPEC §11); under /api/ errors keep the JSON shape {"detail", "code"}."""

import pytest
from django.test import Client

from tests.factories import MembershipFactory, OrderFactory

pytestmark = pytest.mark.django_db

LAYOUT = 'class="topbar"'


def explains_itself(body: str) -> None:
    assert LAYOUT in body, "rendered in the product's layout"
    for heading in ("What happened", "Why", "What to do"):
        assert f"<h2>{heading}</h2>" in body
    assert 'aria-label="Ways back"' in body


def test_a_member_without_the_role_is_told_which_roles_open_the_module_and_who_assigns_them(
    signed_in, member_with, shop
):
    member = member_with("marketing_specialist")
    response = signed_in(member).get(f"/shop/{shop.slug}/finance/")
    body = response.content.decode()
    assert response.status_code == 403
    explains_itself(body)
    assert "Your roles in Demo Shop do not include Finance" in body
    assert '<span class="badge">Main admin</span>' in body
    assert '<span class="badge">Finance specialist</span>' in body
    assert "Customer service agent" not in body.split("These roles open it")[1].split("</ul>")[0]
    assert "The shop owner assigns roles" in body and shop.owner.email in body
    assert f'href="/shop/{shop.slug}/">Back to Demo Shop' in body
    assert 'class="sidebar"' in body, "the shop's menu stays, so the member can go on working"


def test_user_management_is_the_owners_alone(signed_in, member_with, shop):
    response = signed_in(member_with("main_admin")).get(f"/shop/{shop.slug}/users/")
    body = response.content.decode()
    assert response.status_code == 403
    explains_itself(body)
    assert "do not include User Management" in body
    assert "Only the shop owner can do this" in body
    assert "These roles open it" not in body


def test_a_page_refused_for_another_areas_grant_names_itself(signed_in, member_with, shop):
    # The shop's security log needs User Management's grant, but the refusal names the log.
    response = signed_in(member_with("main_admin")).get(f"/shop/{shop.slug}/security/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Your roles in Demo Shop do not include the shop&#x27;s security log" in body
    assert "User Management" not in body.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_the_payout_account_page_is_named_as_a_page_when_refused(signed_in, member_with, shop):
    response = signed_in(member_with("finance_specialist")).get(f"/shop/{shop.slug}/finance/payout-account/")
    assert response.status_code == 403
    assert "Your roles in Demo Shop do not include the payout account" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_another_shop_is_not_found_in_the_products_words(signed_in, owner, other_shop, settings, debug):
    settings.DEBUG = debug
    response = signed_in(owner).get(f"/shop/{other_shop.slug}/")
    body = response.content.decode()
    assert response.status_code == 404
    explains_itself(body)
    assert "belongs to a shop you are not a member of" in body
    assert 'href="/shops/">Your shops' in body


@pytest.mark.parametrize("path", ["/shop/{slug}/orders/{order}/ship/", "/account/information/anti-phishing/"])
def test_a_button_opened_as_a_page_explains_itself(signed_in, owner, shop, path):
    # A sign-in that comes back to `next=<a button's address>` lands here too.
    order = OrderFactory(shop=shop)
    response = signed_in(owner).get(path.format(slug=shop.slug, order=order.pk))
    body = response.content.decode()
    assert response.status_code == 405 and "POST" in response["Allow"]
    explains_itself(body)
    assert "This address is a button, not a page" in body
    order.refresh_from_db()
    assert order.status == "pending", "nothing was done"


def test_the_api_keeps_its_own_405(signed_in, owner):
    response = signed_in(owner).get("/api/v1/auth/logout")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_an_unknown_address_is_not_found_signed_out_too(client):
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    explains_itself(body)
    assert 'href="/login/">Sign in' in body


def test_the_api_keeps_its_json_shape_for_unknown_endpoints_and_missing_grants(signed_in, member_with, shop):
    client = signed_in(member_with("marketing_specialist"))
    unknown = client.get("/api/v1/no-such-endpoint")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Not found.", "code": "not_found"}
    refused = client.get(f"/api/v1/shops/{shop.slug}/events")
    assert refused.status_code == 403
    assert refused.json()["code"] == "missing_grant"


def test_a_form_whose_csrf_check_fails_explains_what_to_do(owner):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.post("/login/", {"email": owner.email, "password": "x", "csrfmiddlewaretoken": "stale"})
    body = response.content.decode()
    assert response.status_code == 403
    explains_itself(body)
    assert "This form expired" in body
    assert "reload the page, and send the form again" in body


def test_a_form_sent_without_cookies_says_cookies_may_be_blocked(owner):
    response = Client(enforce_csrf_checks=True).post("/login/", {"email": owner.email, "password": "x"})
    assert response.status_code == 403
    assert "cookies may be blocked" in response.content.decode()


def test_the_api_answers_a_csrf_failure_in_json(owner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/auth/login", {"email": owner.email, "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code"}


def test_a_bad_host_gets_the_400_page(client):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    explains_itself(response.content.decode())


@pytest.mark.urls("tests.sellercenter.failing_urls")
def test_a_server_error_apologises_in_the_layout_and_the_api_in_json(signed_in, owner):
    client = signed_in(owner)
    client.raise_request_exception = False
    page = client.get("/broken/")
    body = page.content.decode()
    assert page.status_code == 500
    explains_itself(body)
    assert "Something went wrong on our side" in body
    api = client.get("/api/v1/broken")
    assert api.status_code == 500
    assert api.json()["code"] == "server_error"


def test_a_suspended_member_gets_a_page_that_says_not_found(signed_in, shop):
    member = MembershipFactory(shop=shop, roles=["main_admin"], status="suspended").user
    response = signed_in(member).get(f"/shop/{shop.slug}/")
    assert response.status_code == 404
    explains_itself(response.content.decode())
