"""A seller signs in with Chromium and reaches their shop's dashboard, seeing only what their role opens."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, ShopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finance_specialist(password):
    shop = ShopFactory(name="Demo Shop", slug="demo-shop")
    return MembershipFactory(shop=shop, roles=["finance_specialist"]).user


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_member_signs_in_and_sees_the_modules_their_role_opens(
    page, live_server, finance_specialist, password
):
    sign_in(page, live_server, finance_specialist.email, password)

    expect(page).to_have_url(re.compile(r"/shops/$"))
    page.get_by_role("link", name=re.compile("Demo Shop")).click()

    expect(page).to_have_url(re.compile(r"/shop/demo-shop/$"))
    expect(page.get_by_role("heading", name="Demo Shop", level=1)).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_role("link", name=re.compile("Finance"))).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("Products"))).to_have_count(0)
    expect(page.get_by_role("link", name="User Management")).to_have_count(0)

    main.get_by_role("link", name=re.compile("Finance")).click()
    expect(page).to_have_url(re.compile(r"/shop/demo-shop/finance/$"))


def test_a_wrong_password_keeps_the_seller_on_the_login_page_with_one_generic_message(
    page, live_server, finance_specialist
):
    sign_in(page, live_server, finance_specialist.email, "not-the-password-1!")

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_text("do not match an account")).to_be_visible()
