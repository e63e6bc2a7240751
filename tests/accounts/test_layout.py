"""The layout around every page: the shop switcher, the way to the admin for staff, signing out, the icon."""

import re

import pytest

from tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def switcher(page: str) -> str:
    match = re.search(r'<details class="menu shop-switcher">(.*?)</details>', page, re.S)
    return match.group(1) if match else ""


def test_someone_in_several_shops_can_switch_from_the_header(signed_in, owner, shop):
    second = ShopFactory(name="Second Shop")
    MembershipFactory(shop=second, user=owner, roles=["finance_specialist"])
    menu = switcher(signed_in(owner).get(f"/shop/{shop.slug}/orders/").content.decode())
    assert f'href="/shop/{second.slug}/">Second Shop</a>' in menu
    assert f'href="/shop/{shop.slug}/" aria-current="page"' in menu
    assert "switch shop" in menu


def test_someone_in_one_shop_sees_its_name_without_a_menu(signed_in, owner, shop):
    page = signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()
    assert switcher(page) == ""
    assert '<span class="shop-name">Demo Shop</span>' in page


def test_the_switcher_lists_a_few_shops_and_links_to_all_of_them(signed_in, owner, shop):
    for n in range(9):
        MembershipFactory(shop=ShopFactory(name=f"Shop {n:02d}"), user=owner)
    menu = switcher(signed_in(owner).get(f"/shop/{shop.slug}/").content.decode())
    assert menu.count('href="/shop/') == 8
    assert 'href="/shops/">All your shops' in menu


def test_a_suspended_membership_is_not_offered(signed_in, owner, shop):
    MembershipFactory(shop=ShopFactory(name="Gone Shop"), user=owner, status="suspended")
    assert "Gone Shop" not in signed_in(owner).get(f"/shop/{shop.slug}/").content.decode()


def test_staff_without_a_shop_are_shown_the_way_to_the_admin(signed_in):
    staff = UserFactory(is_staff=True)
    page = signed_in(staff).get("/shops/").content.decode()
    assert "your account is a support account" in page
    assert 'href="/admin/">Open the support admin' in page
    assert 'href="/admin/">Support admin' in page


def test_sellers_without_a_shop_are_not_offered_the_admin(signed_in, user):
    page = signed_in(user).get("/shops/").content.decode()
    assert "When a shop owner adds you" in page
    assert "/admin/" not in page


def test_signing_out_says_so(signed_in, user):
    page = signed_in(user).post("/logout/", follow=True).content.decode()
    assert "You are signed out." in page


def test_every_page_names_the_icon_and_the_browsers_default_address_leads_to_it(client):
    page = client.get("/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
