"""A walk through the pages of the account, the shop and its errors, as an owner and as a sub-account, at
desktop (1280 px) and phone (390 px) widths: no console error, no page that scrolls sideways, and the
header's menus work from the keyboard and stay on screen (SPEC §11).

With SCREENSHOTS_DIR set, the walk also saves pictures of the check-up card and of an error page.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from permissions.registry import MODULES
from security.sessions import describe_device
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    BillFactory,
    CampaignFactory,
    ConversationFactory,
    MembershipFactory,
    MessageFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
    ShopFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
LONG_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser with a long User-Agent, as sessions tables meet them."""
    return {**browser_context_args, "user_agent": LONG_UA}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request, page):
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
    return request.param


@pytest.fixture
def problems(page):
    """Console errors and page errors; a page answering 4xx on purpose logs its own status, not a problem."""
    seen = []

    def on_console(message):
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource: the server responded with a status of 4") and (
            message.location.get("url", "") == page.url
        ):
            return
        seen.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


@pytest.fixture
def demo(db):
    """A shop with a row in every module, a sub-account, and a second shop of the owner."""
    shop = ShopFactory(name="Demo Shop", slug="demo-shop")
    for factory in (
        ProductFactory,
        OrderFactory,
        BillFactory,
        PayoutAccountFactory,
        CampaignFactory,
        AffiliatePlanFactory,
        AdPlanFactory,
    ):
        factory(shop=shop)
    MessageFactory(conversation=ConversationFactory(shop=shop))
    member = MembershipFactory(
        shop=shop,
        roles=["marketing_specialist"],
        user=UserFactory(email="a.rather.long.address@demo-example.com"),
    ).user
    second = ShopFactory(name="A Second Shop With A Long Name", slug="second-shop", owner=shop.owner)
    return {"shop": shop, "owner": shop.owner, "member": member, "second": second}


def sign_in(page, base, user, password):
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))


def visit(page, url, problems):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
    assert problems == [], f"{url}: {problems}"
    return response


def shoot(page, name, locator=None):
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    # The sticky header would cover the top of an element scrolled into view.
    page.evaluate("document.querySelector('.topbar').style.position = 'static'")
    target = locator if locator is not None else page
    target.screenshot(
        path=str(Path(folder) / f"{name}.png"), **({} if locator is not None else {"full_page": True})
    )


def test_the_owners_pages_fit_the_screen_without_console_errors(
    page, live_server, password, problems, width, demo
):
    base, shop = live_server.url, demo["shop"]
    visit(page, f"{base}/login/", problems)
    sign_in(page, base, demo["owner"], password)

    paths = [
        "/shops/",
        f"/shop/{shop.slug}/",
        *[f"/shop/{shop.slug}/{module.slug}/" for module in MODULES],
        f"/shop/{shop.slug}/users/",
        f"/shop/{shop.slug}/security/",
        "/account/information/",
        "/account/security/",
        "/account/security/events/",
        "/account/password/",
        "/account/security/2sv/totp/",
        "/account/security/step-up/",
        "/api/schema/",
    ]
    for path in paths:
        response = visit(page, base + path, problems)
        assert response.status < 400, path

    # The check-up card and the owner's prompt.
    visit(page, f"{base}/shop/{shop.slug}/", problems)
    card = page.locator("#checkup")
    expect(card).to_be_visible()
    expect(card.locator(".checkup-score")).to_contain_text("out of 100")
    expect(page.get_by_role("region", name="Turn on two-step verification")).to_be_visible()
    shoot(page, f"checkup-card-{width}", card)
    shoot(page, f"dashboard-{width}")

    # Errors, in the layout.
    missing = visit(page, f"{base}/shop/no-such-shop/", problems)
    assert missing.status == 404
    expect(page.get_by_role("heading", name="We cannot find that page")).to_be_visible()
    expect(page.get_by_role("link", name="Your shops")).to_be_visible()


def test_a_sub_account_meets_an_error_page_that_explains_itself(
    page, live_server, password, problems, width, demo
):
    base, shop = live_server.url, demo["shop"]
    sign_in(page, base, demo["member"], password)
    for path in ("/shops/", f"/shop/{shop.slug}/", f"/shop/{shop.slug}/marketing/", "/account/information/"):
        assert visit(page, base + path, problems).status == 200, path

    refused = visit(page, f"{base}/shop/{shop.slug}/finance/", problems)
    assert refused.status == 403
    expect(page.get_by_role("heading", name="Your roles in Demo Shop do not include Finance")).to_be_visible()
    expect(page.locator(".role-list")).to_contain_text("Finance specialist")
    shoot(page, f"error-403-{width}")
    page.get_by_role("link", name="Back to Demo Shop").click()
    expect(page).to_have_url(re.compile(rf"/shop/{shop.slug}/$"))


def test_the_shop_switcher_and_the_account_menu_work_from_the_keyboard(
    page, live_server, password, problems, width, demo
):
    base, shop = live_server.url, demo["shop"]
    sign_in(page, base, demo["owner"], password)
    visit(page, f"{base}/shop/{shop.slug}/orders/", problems)

    switcher = page.locator("details.shop-switcher")
    switcher.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(switcher.get_by_role("link", name="A Second Shop With A Long Name")).to_be_visible()
    box = switcher.locator(".menu-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width], box
    page.keyboard.press("Escape")
    expect(switcher.locator(".menu-panel")).to_be_hidden()
    expect(switcher.locator("summary")).to_be_focused()

    account = page.locator("details.menu", has_text="My Account")
    account.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(account.get_by_role("link", name="Account Information")).to_be_visible()
    box = account.locator(".menu-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width], box
    page.keyboard.press("Escape")

    switcher.locator("summary").click()
    switcher.get_by_role("link", name="A Second Shop With A Long Name").click()
    expect(page).to_have_url(re.compile(r"/shop/second-shop/$"))
    assert problems == []


def test_a_birth_date_saved_on_account_information_is_refused_in_a_new_password(
    page, live_server, password, problems, width, demo
):
    base = live_server.url
    owner = demo["owner"]
    sign_in(page, base, owner, password)
    visit(page, f"{base}/account/information/", problems)
    page.get_by_label("Date of birth").fill("1990-05-17")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    shoot(page, f"account-information-{width}")
    owner.refresh_from_db()
    assert owner.time_zone == "Asia/Tokyo" and owner.date_of_birth.isoformat() == "1990-05-17"
    visit(page, f"{base}/account/security/", problems)
    expect(page.locator("#sessions thead")).to_contain_text("Asia/Tokyo")
    expect(page.locator("#sessions")).to_contain_text(describe_device(LONG_UA))
    shoot(page, f"account-security-{width}")

    # The birth date just entered is one the password rules now refuse, in words the person knows.
    visit(page, f"{base}/account/password/", problems)
    page.get_by_label("New password", exact=True).press_sequentially("Tulip#harbour17.05", delay=10)
    expect(page.locator("[data-meter-failures]")).to_contain_text("Remove your birthday (17 May)")
    page.get_by_label("Current password").fill(password)
    page.get_by_label("New password, again").fill("Tulip#harbour17.05")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".field-error")).to_contain_text("Remove your birthday (17 May)")
    owner.refresh_from_db()
    assert owner.check_password(password)
