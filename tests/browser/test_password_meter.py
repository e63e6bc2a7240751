"""The live strength meter names the broken rule as the person types, then lets a strong password through."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_meter_names_the_broken_rule_then_a_strong_password_is_accepted(
    page, live_server, user, password
):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))

    page.goto(f"{live_server.url}/account/password/")
    page.get_by_label("Current password").fill(password)
    new_password = page.get_by_label("New password", exact=True)
    new_password.press_sequentially("Abcd#2024x", delay=20)

    status = page.locator("[data-meter-status]")
    expect(status).to_contain_text("Fix the points below")
    expect(page.locator("[data-meter-failures]")).to_contain_text("Remove “abcd”")
    expect(page.locator('[data-rule="sequence"]')).to_contain_text("Not yet")
    expect(page.locator('[data-rule="mix"]')).to_contain_text("Done")

    new_password.fill("")
    new_password.press_sequentially("Tulip#harbour7", delay=20)
    expect(status).to_contain_text("This password meets every rule")
    expect(page.locator('[data-rule="sequence"]')).to_contain_text("Done")
    expect(page.locator("[data-meter-failures] li")).to_have_count(0)

    page.get_by_label("New password, again").fill("Tulip#harbour7")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password("Tulip#harbour7")
