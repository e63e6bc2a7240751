"""A walk through every page of the menus, as a visitor who is not signed in, an owner, a sub-account and
a support agent, at desktop (1280 px) and phone (390 px) widths: no console error, no page that scrolls
sideways, no axe-core violation above the page's bar (serious on the product's pages, critical on the
admin and the API docs), and the header's menus work from the keyboard and stay on screen (SPEC §11).

Each role signs in once per width and walks every page in that one browser page.

With SCREENSHOTS_DIR set, the walk also saves pictures of the check-up card and of an error page.
"""

import os
import re
from pathlib import Path

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.events import RequestContext
from permissions.registry import MODULES
from recovery.services.cases import submit_request
from security.sessions import describe_device
from team import services as team_services
from tests.browser.accessibility import Audit
from tests.browser.conftest import WIDTHS
from tests.conftest import add_totp, totp_code
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

LONG_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser with a long User-Agent, as sessions tables meet them."""
    return {**browser_context_args, "user_agent": LONG_UA}


@pytest.fixture
def audit():
    """The axe violations of one walk; the test asserts them at its end, all pages at once."""
    return Audit()


@pytest.fixture
def demo(db):
    """A shop with a row in every module, a sub-account, a pending invitation, and a second shop."""
    shop = ShopFactory(name="Demo Shop", slug="demo-shop")
    rows = {
        factory: factory(shop=shop)
        for factory in (
            ProductFactory,
            OrderFactory,
            BillFactory,
            PayoutAccountFactory,
            CampaignFactory,
            AffiliatePlanFactory,
            AdPlanFactory,
        )
    }
    conversation = ConversationFactory(shop=shop)
    MessageFactory(conversation=conversation)
    membership = MembershipFactory(
        shop=shop,
        roles=["marketing_specialist"],
        user=UserFactory(email="a.rather.long.address@demo-example.com"),
    )
    owner_membership = shop.memberships.get(user=shop.owner)
    team_services.invite(
        owner_membership,
        email="new.hire@demo-example.com",
        roles=["finance_specialist"],
        context=RequestContext(),
    )
    second = ShopFactory(name="A Second Shop With A Long Name", slug="second-shop", owner=shop.owner)
    return {
        "shop": shop,
        "owner": shop.owner,
        "member": membership.user,
        "membership": membership,
        "second": second,
        "product": rows[ProductFactory],
        "order": rows[OrderFactory],
        "bill": rows[BillFactory],
        "campaign": rows[CampaignFactory],
        "affiliate_plan": rows[AffiliatePlanFactory],
        "ad_plan": rows[AdPlanFactory],
        "conversation": conversation,
    }


def sign_in(page, base, user, password):
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if user.totpdevice_set.filter(confirmed=True).exists():
        expect(page).to_have_url(re.compile(r"/login/verify/"))
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Verify").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def is_axe_style_refused(problem: str) -> bool:
    return problem.startswith("Applying inline style violates") and problem.endswith(" ()")


def check(page, url, problems, audit=None):
    """The page as it is now passes axe at its bar, fits the screen and logged no error.

    axe runs first: the late requests a page makes after it loaded (its icon) settle meanwhile.
    """
    if audit is not None:
        before = len(problems)
        audit.check(page)
        # axe copies a stylesheet's @import rules into a <style> of its own to read them; the CSP refuses
        # that, which is the page's policy at work on the tool's script (no URL), not a fault of the page.
        problems[before:] = [p for p in problems[before:] if not is_axe_style_refused(p)]
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
    assert problems == [], f"{url}: {problems}"


def visit(page, url, problems, audit=None, ready=None):
    """Open `url` and check it; `ready` (a selector) waits for what a script draws after the load."""
    response = page.goto(url)
    if ready:
        expect(page.locator(ready).first).to_be_visible()
    check(page, url, problems, audit)
    return response


def walk(page, base, paths, problems, audit):
    """Visit each path; each must answer below 400 (a step-up or sign-in page is a page too)."""
    for path in paths:
        response = visit(page, base + path, problems, audit)
        assert response.status < 400, f"{path} answered {response.status}"


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


def owner_paths(demo):
    """Every page the owner's menus and module pages lead to, on the shop they own."""
    slug, member = demo["shop"].slug, demo["membership"]
    commerce = [
        ("order", demo["order"].pk),
        ("bill", demo["bill"].pk),
        ("payout-account",),
        ("product-create",),
        ("product-edit", demo["product"].pk),
        ("campaign-create",),
        ("campaign-edit", demo["campaign"].pk),
        ("affiliate-create",),
        ("affiliate-plan", demo["affiliate_plan"].pk),
        ("affiliate-edit", demo["affiliate_plan"].pk),
        ("ad-plan-create",),
        ("ad-plan-edit", demo["ad_plan"].pk),
        ("conversation-open",),
        ("conversation", demo["conversation"].pk),
    ]
    team = [
        ("members",),
        ("invite",),
        ("invitations",),
        ("settings",),
        ("member", member.pk),
        ("member-remove", member.pk),
        ("member-reset-two-step", member.pk),
        ("shop-two-step",),
    ]
    return [
        "/shops/",
        reverse("accounts:dashboard", args=[slug]),
        *[reverse("commerce:module", args=[slug, module.slug]) for module in MODULES],
        *[reverse(f"commerce:{name}", args=[slug, *rest]) for name, *rest in commerce],
        *[reverse(f"team:{name}", args=[slug, *rest]) for name, *rest in team],
        reverse("team:shop-create"),
        reverse("security:shop-events", args=[slug]),
        reverse("accounts:account-information"),
        reverse("security:account-security"),
        reverse("security:account-events"),
        reverse("security:password-change"),
        reverse("security:step-up"),
        reverse("recovery:freeze-mine"),
        reverse("api-schema"),
    ]


def test_the_owners_pages_fit_the_screen_without_console_errors(
    page, live_server, password, problems, width, demo, audit
):
    base, shop = live_server.url, demo["shop"]
    sign_in(page, base, demo["owner"], password)
    walk(page, base, owner_paths(demo), problems, audit)
    # The API docs draw the schema with a script, after the page loaded.
    visit(page, base + reverse("api-docs"), problems, audit, ready=".swagger-ui .opblock")

    # The check-up card and the owner's prompt.
    visit(page, f"{base}/shop/{shop.slug}/", problems)
    card = page.locator("#checkup")
    expect(card).to_be_visible()
    expect(card.locator(".checkup-score")).to_contain_text("out of 100")
    expect(page.get_by_role("region", name="Turn on two-step verification")).to_be_visible()
    shoot(page, f"checkup-card-{width}", card)
    shoot(page, f"dashboard-{width}")

    # A form sent back with errors: each field's help and error are read out with it.
    visit(page, base + reverse("commerce:product-create", args=[shop.slug]), problems)
    page.locator("main form").get_by_role("button", name=re.compile("product", re.I)).press("Enter")
    expect(page.get_by_label("SKU")).to_have_accessible_description(
        re.compile(r"Letters, digits, dots, dashes; unique in the shop\. This field is required\.")
    )
    check(page, page.url, problems, audit)

    # Errors, in the layout. The money path needs two-step verification first.
    refused = visit(page, base + reverse("commerce:payout-account-change", args=[shop.slug]), problems, audit)
    assert refused.status == 403
    missing = visit(page, f"{base}/shop/no-such-shop/", problems, audit)
    assert missing.status == 404
    expect(page.get_by_role("heading", name="We cannot find that page")).to_be_visible()
    expect(page.get_by_role("link", name="Your shops")).to_be_visible()

    # Two-step verification: the enrolment, the recovery codes it shows, then the pages it opens.
    visit(page, base + reverse("security:totp-enrol"), problems, audit)
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    check(page, page.url, problems, audit)
    walk(
        page,
        base,
        [
            reverse("security:account-security"),
            reverse("security:recovery-codes"),
            reverse("security:two-step-disable"),
            reverse("commerce:payout-account-change", args=[shop.slug]),
            reverse("commerce:withdrawals", args=[shop.slug]),
        ],
        problems,
        audit,
    )
    audit.assert_clean()


def test_a_visitor_who_is_not_signed_in_meets_accessible_pages(
    page, live_server, problems, width, demo, audit
):
    base = live_server.url
    walk(
        page,
        base,
        [
            reverse("security:login"),
            reverse("team:signup"),
            reverse("security:password-reset"),
            reverse("recovery:request"),
            reverse("recovery:status"),
        ],
        problems,
        audit,
    )
    # A refused sign-in shows its error in the form.
    visit(page, base + reverse("security:login"), problems)
    page.get_by_label("E-mail").fill(demo["owner"].email)
    page.get_by_label("Password").fill("not-the-password-1!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()
    check(page, page.url, problems, audit)
    missing = visit(page, f"{base}/no-such-page/", problems, audit)
    assert missing.status == 404

    # Asking for a password reset, and for recovery: the pages that answer.
    visit(page, base + reverse("security:password-reset"), problems)
    page.get_by_label("E-mail").fill(demo["member"].email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page).to_have_url(re.compile(r"/password-reset/done/$"))
    check(page, page.url, problems, audit)
    visit(page, base + reverse("recovery:request"), problems)
    page.get_by_label("The e-mail address of the account").fill("nobody.here@example.com")
    page.get_by_label("An e-mail address you control now").fill("someone.else@contact.example")
    page.get_by_label("What happened?").fill("I cannot sign in any more.")
    page.get_by_role("button", name="Freeze and start recovery").click()
    expect(page.locator("#case-reference")).to_be_visible()
    check(page, page.url, problems, audit)
    audit.assert_clean()


def test_a_sub_account_meets_an_error_page_that_explains_itself(
    page, live_server, password, problems, width, demo, audit
):
    base, shop = live_server.url, demo["shop"]
    sign_in(page, base, demo["member"], password)
    walk(
        page,
        base,
        [
            "/shops/",
            reverse("accounts:dashboard", args=[shop.slug]),
            reverse("commerce:module", args=[shop.slug, "marketing"]),
            reverse("commerce:campaign-create", args=[shop.slug]),
            reverse("commerce:campaign-edit", args=[shop.slug, demo["campaign"].pk]),
            reverse("team:leave", args=[shop.slug]),
            reverse("accounts:account-information"),
            reverse("security:account-security"),
            reverse("security:account-events"),
            reverse("security:password-change"),
        ],
        problems,
        audit,
    )

    refused = visit(page, f"{base}/shop/{shop.slug}/finance/", problems, audit)
    assert refused.status == 403
    expect(page.get_by_role("heading", name="Your roles in Demo Shop do not include Finance")).to_be_visible()
    expect(page.locator(".role-list")).to_contain_text("Finance specialist")
    shoot(page, f"error-403-{width}")
    page.get_by_role("link", name="Back to Demo Shop").click()
    expect(page).to_have_url(re.compile(rf"/shop/{shop.slug}/$"))
    audit.assert_clean()


@pytest.fixture
def support_agent(db, demo):
    """A staff member with the authenticator app who may review recovery cases; one case is open."""
    from django.contrib.auth.models import Permission

    agent = add_totp(UserFactory(email="ada@support.example", is_staff=True, first_name="Ada"))
    agent.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="recovery", codename__in=["view_recoverycase", "review_recoverycase"]
        ),
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_user", "view_shop", "view_membership"]
        ),
    )
    agent.case = submit_request(
        account_email=demo["owner"].email,
        contact_email="olivia.now@contact.example",
        description="A courier asked for my code; now I cannot sign in.",
        context=RequestContext(ip="203.0.113.7", user_agent=LONG_UA),
    )
    return agent


def test_support_staff_work_the_recovery_queue_in_an_admin_without_critical_problems(
    page, live_server, password, problems, width, support_agent, audit
):
    base, case = live_server.url, support_agent.case
    sign_in(page, base, support_agent, password)
    walk(
        page,
        base,
        [
            "/shops/",
            reverse("accounts:account-information"),
            reverse("security:account-security"),
            reverse("admin:index"),
            reverse("admin:recovery_recoverycase_changelist"),
            reverse("admin:recovery_recoverycase_change", args=[case.pk]),
            reverse("admin:recovery_case_action", args=[case.pk, "more-documents"]),
            reverse("admin:recovery_freeze"),
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_change", args=[case.user_id]),
            reverse("admin:accounts_shop_changelist"),
            reverse("admin:accounts_membership_changelist"),
        ],
        problems,
        audit,
    )
    expect(page.locator("#result_list")).to_be_visible()
    audit.assert_clean()


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
