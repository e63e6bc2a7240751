"""A seller turns on two-step verification in Chromium, then signs in with their authenticator."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from audit.models import EventKind, SecurityEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_seller_enrols_an_authenticator_and_signs_in_with_a_fresh_code(page, live_server, password):
    seller = UserFactory(email="enrol@example.com")
    sign_in(page, live_server, seller.email, password)
    expect(page).to_have_url(re.compile(r"/shops/$"))

    # My Account > Seller Profile > Account Information > Account Security.
    page.locator("summary", has_text="My Account").click()
    page.get_by_role("link", name="Account Security").click()
    expect(page).to_have_url(re.compile(r"/account/security/$"))
    page.get_by_role("link", name="Turn on two-step verification").click()

    expect(page).to_have_url(re.compile(r"/account/security/2sv/totp/$"))
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step verification").click()

    codes = page.locator("#recovery-codes code")
    expect(codes).to_have_count(10)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as text").click()
    with open(download.value.path()) as saved_file:
        saved = saved_file.read().split()
    assert saved == codes.all_inner_texts()
    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("#two-step .badge")).to_have_text("On")
    assert SecurityEvent.objects.filter(user=seller, kind=EventKind.TWO_STEP_ENABLED).exists()

    page.locator("summary", has_text="My Account").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, seller.email, password)
    expect(page).to_have_url(re.compile(r"/login/verify/$"))
    # The enrolment's code was used: the next time step's code is one the server has not seen.
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))


def test_the_same_code_is_refused_on_the_verify_page(page, live_server, password):
    seller = UserFactory(email="replay@example.com")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from security.two_step import devices

    device = TOTPDevice.objects.create(user=seller, name="app", confirmed=True)
    code = pyotp.TOTP(devices.base32_secret(device)).now()
    sign_in(page, live_server, seller.email, password)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))

    page.locator("summary", has_text="My Account").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, seller.email, password)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/login/verify/$"))
    expect(page.get_by_text("That code is not valid")).to_be_visible()
