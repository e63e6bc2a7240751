"""Every page an owner reaches from the menus works under the Content-Security-Policy in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from permissions.registry import MODULES
from tests.factories import (
    AdPlanFactory,
    AffiliatePlanFactory,
    BillFactory,
    CampaignFactory,
    ConversationFactory,
    MessageFactory,
    OrderFactory,
    PayoutAccountFactory,
    ProductFactory,
    ShopFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def problems(page):
    """Console errors (CSP violations are reported there), page errors and policy violation events."""
    seen = []

    def on_console(message):
        if message.type == "error":
            seen.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


def visit(page, url, problems):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    problems.extend(page.evaluate("window.__violations"))
    return response


def test_every_page_in_the_owners_menus_loads_without_console_errors_or_csp_violations(
    page, live_server, password, problems
):
    shop = ShopFactory(name="Demo Shop", slug="demo-shop")
    # One row in every module, so each page renders its table, not its empty state.
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
    base = live_server.url

    visit(page, f"{base}/login/", problems)
    assert problems == []
    page.get_by_label("E-mail").fill(shop.owner.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/shops/$"))

    # Every link of the menus and of the Account Security page, as a person would follow them.
    paths = set()
    for start in (f"/shop/{shop.slug}/", "/account/security/"):
        visit(page, base + start, problems)
        hrefs = page.eval_on_selector_all(
            ".topnav a[href], .sidebar a[href], main a[href]", "links => links.map(a => a.pathname)"
        )
        paths |= {href for href in hrefs if href.startswith("/")}
    expected = {f"/shop/{shop.slug}/{module.slug}/" for module in MODULES} | {
        f"/shop/{shop.slug}/users/",
        f"/shop/{shop.slug}/security/",
        "/account/security/",
        "/account/information/",
        "/account/security/2sv/totp/",
        "/account/security/events/",
        "/account/password/",
    }
    assert expected <= paths, expected - paths
    paths = [*sorted(paths), "/api/docs/", "/api/schema/"]
    for path in paths:
        response = visit(page, base + path, problems)
        assert response.status < 400, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        assert problems == [], f"{path}: {problems}"

    # Swagger UI renders the schema from our own files under the policy.
    page.goto(f"{base}/api/docs/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Seller Center API", timeout=15000)
    assert problems == []

    # A form posts and comes back with its message under the same policy.
    page.goto(f"{base}/account/information/")
    page.get_by_role("textbox", name="Anti-phishing phrase").fill("blue heron")
    page.get_by_role("button", name="Save phrase").click()
    expect(page.get_by_text("Anti-phishing phrase saved.")).to_be_visible()
    assert problems == []
