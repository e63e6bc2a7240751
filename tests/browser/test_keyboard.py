"""With the keyboard alone (Tab, typing, Enter; never a click) a seller signs in, turns on two-step
verification with an authenticator app, and signs in again through the second step. Every control the
Tab key stops at shows a focus ring and is on screen, not under the sticky header (SPEC §11)."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from audit.models import EventKind, SecurityEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a person sees of the focused element: its outline, and whether the element is what shows at its
# centre (a sticky header over it would be what shows instead).
FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 8), y = box.top + box.height / 2;
  const top = document.elementFromPoint(x, y);
  return {
    name: element.tagName.toLowerCase() + ' “' +
      (element.innerText || element.name || element.id || '').trim().slice(0, 40) + '”',
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    seen: top !== null && (element === top || element.contains(top)),
  };
}"""


def focused(page):
    state = page.evaluate(FOCUS)
    assert state["ring"], f"{state['name']} has the focus but no visible focus ring ({page.url})"
    assert state["seen"], f"{state['name']} has the focus but is hidden or covered ({page.url})"
    return state


def tab_to(page, target, *, limit=40):
    """Press Tab until `target` has the focus, checking each stop on the way; fail after `limit` presses."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page)["name"])
        if target.evaluate("element => element === document.activeElement"):
            return stops
    raise AssertionError(f"Tab never reached {target} on {page.url}; it went through {stops}")


def type_into(page, field, text):
    expect(field).to_be_focused()
    focused(page)
    page.keyboard.type(text)


def keyboard_sign_in(page, base, email, password):
    page.goto(f"{base}/login/")
    # The address field has the focus when the page opens.
    type_into(page, page.get_by_label("E-mail"), email)
    page.keyboard.press("Tab")
    type_into(page, page.get_by_label("Password"), password)
    tab_to(page, page.get_by_role("button", name="Sign in"))
    page.keyboard.press("Enter")


def test_a_seller_signs_in_enrols_an_authenticator_and_passes_the_second_step_by_keyboard(
    page, live_server, password, width
):
    seller = UserFactory(email="keys@example.com")
    base = live_server.url

    keyboard_sign_in(page, base, seller.email, password)
    expect(page).to_have_url(re.compile(r"/shops/$"))

    # The first Tab offers a way past the header; then My Account > Account Security.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    focused(page)
    account_menu = page.locator("details.menu", has_text="My Account").locator("summary")
    tab_to(page, account_menu)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Account Security"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/account/security/$"))

    # Skip the header, then to the button that turns two-step verification on.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, page.locator("#two-step").get_by_role("link", name="Turn on two-step verification"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/account/security/2sv/totp/$"))

    # The key is typed into the app by hand; the code field has the focus.
    secret = page.locator("#totp-secret").inner_text()
    totp = pyotp.TOTP(secret)
    type_into(page, page.get_by_label("Code from the app"), totp.now())
    page.keyboard.press("Enter")
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    tab_to(page, page.get_by_role("link", name="I have saved them"))
    page.keyboard.press("Enter")
    expect(page.locator("#two-step .badge")).to_have_text("On")
    assert SecurityEvent.objects.filter(user=seller, kind=EventKind.TWO_STEP_ENABLED).exists()

    # Sign out from the menu, then in again: password, then the next code from the app.
    tab_to(page, account_menu)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login/"))

    keyboard_sign_in(page, base, seller.email, password)
    expect(page).to_have_url(re.compile(r"/login/verify/$"))
    type_into(page, page.get_by_label("Code"), totp.at(time.time() + 30))
    tab_to(page, page.get_by_role("button", name="Verify"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/shops/$"))
