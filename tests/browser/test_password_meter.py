"""The live strength meter names the broken rule as the person types, then lets a strong password through;
it speaks with one voice: the rules first, the strength only once they all pass."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))


def test_the_meter_names_the_broken_rule_then_a_strong_password_is_accepted(
    page, live_server, user, password
):
    sign_in(page, live_server, user, password)
    page.goto(f"{live_server.url}/account/password/")
    page.get_by_label("Current password").fill(password)
    new_password = page.get_by_label("New password", exact=True)
    new_password.press_sequentially("Abcd#2024x", delay=20)

    status = page.locator("[data-meter-status]")
    expect(status).to_have_text("Not yet: 1 rule to fix.")
    expect(page.locator("[data-meter-failures]")).to_contain_text("Remove “abcd”")
    expect(page.locator('[data-rule="sequence"]')).to_contain_text("Not yet")
    expect(page.locator('[data-rule="mix"]')).to_contain_text("Done")
    # Never a strength verdict beside a broken rule.
    expect(page.locator("[data-meter-strength]")).to_be_hidden()
    expect(page.locator("[data-meter]")).not_to_contain_text("strong")

    new_password.fill("")
    new_password.press_sequentially("Tulip#harbour7", delay=20)
    expect(status).to_contain_text("This password meets every rule. Strength: very strong (4 of 4).")
    expect(page.locator("[data-meter-strength]")).to_be_visible()
    expect(page.locator('[data-rule="sequence"]')).to_contain_text("Done")
    expect(page.locator("[data-meter-failures] li")).to_have_count(0)

    page.get_by_label("New password, again").fill("Tulip#harbour7")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password("Tulip#harbour7")


def test_the_common_rule_and_the_birth_date_rule_speak_the_persons_words(page, live_server, user, password):
    user.date_of_birth = date(1990, 5, 17)
    user.save()
    sign_in(page, live_server, user, password)
    page.goto(f"{live_server.url}/account/password/")
    new_password = page.get_by_label("New password", exact=True)

    new_password.press_sequentially("Monkey!12", delay=20)
    expect(page.locator('[data-rule="common"]')).to_contain_text("Not yet")
    expect(page.locator("[data-meter-failures]")).to_contain_text("close to a commonly used password")
    expect(page.locator('[data-rule="similar"]')).to_contain_text("Done")

    new_password.fill("")
    new_password.press_sequentially("Tulip#harbour17.05", delay=20)
    failures = page.locator("[data-meter-failures]")
    expect(failures).to_contain_text("Remove your birthday (17 May)")
    expect(failures).not_to_contain_text("1705")
    expect(page.locator('[data-rule="birth_date"]')).to_contain_text("Not yet")
