"""In Chromium: the owner adds a finance specialist (the preview shows what the role opens as the box
is ticked), the invitee opens the e-mailed link, sets a password, enrols the authenticator because
the shop requires it, and sees only Finance."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from permissions.registry import MODULES
from security.two_step import devices
from tests.conftest import add_totp, email_link_tokens
from tests.factories import ShopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVITEE_PASSWORD = "Kq7#vLm2!pWz"


def test_the_owner_adds_a_finance_specialist_who_joins_enrols_and_sees_only_finance(
    page, browser, live_server, password, mailoutbox
):
    shop = ShopFactory(name="Demo Shop", slug="demo-shop", require_two_step=True)
    owner = add_totp(shop.owner)
    totp = pyotp.TOTP(devices.base32_secret(devices.totp_device(owner)))
    base = live_server.url

    # The owner signs in with the app, then opens User Management > Add user.
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail").fill(owner.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))
    page.goto(f"{base}/shop/demo-shop/")
    page.locator(".sidebar").get_by_role("link", name="User Management").click()
    page.get_by_role("link", name="Add user").click()
    expect(page).to_have_url(re.compile(r"/shop/demo-shop/users/add/$"))

    # The preview follows the boxes, without a round trip.
    preview = page.locator("[data-role-preview] .preview")
    expect(preview.get_by_text("Nothing yet")).to_be_visible()
    page.get_by_label("E-mail address").fill("fin@example.com")
    page.get_by_role("checkbox", name=re.compile("Finance specialist")).check()
    expect(preview.get_by_text("Open Finance")).to_be_visible()
    expect(preview.get_by_text("Export bills as CSV")).to_be_visible()
    expect(preview.get_by_text("Open Products")).to_be_hidden()
    expect(preview.get_by_text("Nothing yet")).to_be_hidden()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to fin@example.com")).to_be_visible()
    expect(page.locator("#invitations")).to_contain_text("fin@example.com")

    # The invitee opens the link from the e-mail in their own browser.
    (message,) = [m for m in mailoutbox if m.to == ["fin@example.com"]]
    (token,) = email_link_tokens(message.body)
    invitee = browser.new_context().new_page()
    invitee.goto(f"{base}/link/#{token}")
    expect(invitee).to_have_url(re.compile(r"/invitations/accept/$"))
    expect(invitee.get_by_role("heading", name="Join Demo Shop")).to_be_visible()
    invitee.get_by_label("First name").fill("Fia")
    invitee.get_by_label("Last name").fill("Nance")
    invitee.get_by_label("Password", exact=True).fill(INVITEE_PASSWORD)
    expect(invitee.locator("[data-meter-status]")).to_contain_text("meets every rule")
    invitee.get_by_label("Password, again").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name="Create my login and join").click()

    # The shop requires two-step verification: enrolment comes before any shop page.
    expect(invitee).to_have_url(re.compile(r"/account/security/2sv/totp/$"))
    expect(invitee.get_by_text("requires two-step verification for all members")).to_be_visible()
    secret = invitee.locator("#totp-secret").get_attribute("data-secret")
    invitee.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    invitee.get_by_role("button", name="Turn on two-step verification").click()
    expect(invitee.locator("#recovery-codes code")).to_have_count(10)
    invitee.get_by_role("link", name="I have saved them").click()

    invitee.goto(f"{base}/shops/")
    invitee.get_by_role("link", name=re.compile("Demo Shop")).first.click()
    expect(invitee).to_have_url(re.compile(r"/shop/demo-shop/$"))
    sidebar = invitee.locator(".sidebar")
    expect(sidebar.get_by_role("link", name="Finance")).to_be_visible()
    for module in MODULES:
        if module.slug != "finance":
            expect(sidebar.get_by_role("link", name=str(module.label), exact=True)).to_have_count(0)
    expect(invitee.get_by_role("link", name="User Management")).to_have_count(0)
    invitee.locator("main").get_by_role("link", name=re.compile("Finance")).click()
    expect(invitee).to_have_url(re.compile(r"/shop/demo-shop/finance/$"))
    assert Membership.objects.get(user__email="fin@example.com").roles == ["finance_specialist"]


def test_team_pages_work_under_the_content_security_policy_and_fit_390_px(page, live_server, password):
    """Every team page an owner or a newcomer opens: no console error, no policy violation, and no
    sideways scrolling on a 390 px phone (SPEC §11)."""
    problems = []
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico")
            and problems.append(m.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    shop = ShopFactory(name="Demo Shop", slug="demo-shop")
    owner = add_totp(shop.owner)
    totp = pyotp.TOTP(devices.base32_secret(devices.totp_device(owner)))
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 800})

    for path in ("/signup/", "/login/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.get_by_label("E-mail").fill(owner.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Verify").click()
    member = Membership.objects.create(shop=shop, user=add_totp(ShopFactory().owner), roles=["main_admin"])
    for path in (
        "/shop/demo-shop/users/",
        "/shop/demo-shop/users/invitations/",
        "/shop/demo-shop/users/add/",
        f"/shop/demo-shop/users/{member.pk}/",
        f"/shop/demo-shop/users/{member.pk}/remove/",
        f"/shop/demo-shop/users/{member.pk}/reset-two-step/",
        "/shop/demo-shop/users/settings/",
        "/shops/",
    ):
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert problems == []
