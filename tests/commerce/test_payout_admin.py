"""Support's side of the payout account: masked everywhere in the admin (lists, pages, filters, search,
URL lookups), and the review of a flagged account with a reason and a permission of its own."""

import pytest
from django.core import mail

from audit.events import EventKind
from audit.models import SecurityEvent
from commerce import sealing, selectors
from commerce.models import PayoutAccountStatus
from commerce.services import payouts
from sellercenter.management.commands.seed_demo import Command as SeedDemo
from tests.conftest import add_totp
from tests.factories import PayoutAccountFactory, UserFactory

pytestmark = pytest.mark.django_db

NUMBER = "GB33BUKB20201555559876"


@pytest.fixture
def support(db):
    agent = add_totp(UserFactory(email="agent@support.example", is_staff=True))
    SeedDemo().seed_support_group(agent)
    return agent


@pytest.fixture
def flagged(funded_shop, owner_at_home, home):
    """A change to a number another shop registered, waiting for review."""
    PayoutAccountFactory(account_number=NUMBER, routing_code="BUKBGB22")
    details = payouts.clean_details(
        holder_name="X", bank_name="Mule Bank", account_number=NUMBER, routing_code="BUKBGB22"
    )
    return payouts.change_payout_account(
        funded_shop, by=owner_at_home, details=details, code=owner_at_home.recovery_codes[0], context=home
    )


def test_the_admin_shows_payout_accounts_masked_and_never_the_number(support, flagged, fully_signed_in):
    client = fully_signed_in(support)

    listing = client.get("/admin/commerce/payoutaccount/").content.decode()
    page = client.get(f"/admin/commerce/payoutaccount/{flagged.pk}/change/").content.decode()

    for html in (listing, page):
        assert "••••9876" in html
        assert (
            "55559876" not in html and flagged.sealed_number not in html and flagged.fingerprint not in html
        )


@pytest.mark.parametrize(
    "query",
    [
        "?q=55559876",
        "?q=9876",
        "?last4=9876",
        "?last4__exact=9876",
        "?fingerprint__startswith=a",
        "?sealed_number__contains=g",
    ],
)
def test_no_search_filter_or_lookup_reaches_the_number(support, flagged, fully_signed_in, query):
    client = fully_signed_in(support)

    response = client.get(f"/admin/commerce/payoutaccount/{query}")

    if query.startswith("?q="):
        assert response.status_code == 200
        assert "Mule Bank" not in response.content.decode()  # nothing found by its digits
    else:
        assert response.status_code in (400, 302)
        assert "Mule Bank" not in response.content.decode()


def test_support_approves_a_flagged_account_with_a_reason(
    support, flagged, fully_signed_in, django_capture_on_commit_callbacks
):
    client = fully_signed_in(support)
    url = "/admin/commerce/payoutaccount/"
    picked = {"action": "approve_accounts", "_selected_action": [flagged.pk]}

    form = client.post(url, picked)
    assert form.status_code == 200 and "reason" in form.content.decode()
    assert selectors.pending_payout_account(flagged.shop) == flagged  # nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {**picked, "apply": "1", "reason": "Owner confirmed by phone; joint account."}
        )

    assert done.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == PayoutAccountStatus.ACTIVE and flagged.reviewed_by == support
    assert selectors.active_payout_account(flagged.shop) == flagged
    event = SecurityEvent.objects.get(kind=EventKind.PAYOUT_ACCOUNT_APPROVED)
    assert event.details["by"] == support.email and "joint account" in event.details["reason"]
    assert any("approved" in m.subject for m in mail.outbox if m.to == [flagged.shop.owner.email])


def test_support_rejects_a_flagged_account_and_the_old_one_stays(support, flagged, fully_signed_in):
    client = fully_signed_in(support)

    client.post(
        "/admin/commerce/payoutaccount/",
        {
            "action": "reject_accounts",
            "_selected_action": [flagged.pk],
            "apply": "1",
            "reason": "Mule account.",
        },
    )

    flagged.refresh_from_db()
    assert flagged.status == PayoutAccountStatus.REJECTED and flagged.status_reason == "Mule account."
    assert selectors.active_payout_account(flagged.shop).bank_name == "Old Bank"
    assert selectors.payout_hold(flagged.shop) is None
    assert SecurityEvent.objects.filter(kind=EventKind.PAYOUT_ACCOUNT_REJECTED).exists()


def test_without_the_review_permission_there_is_no_review_action(flagged, fully_signed_in):
    viewer = add_totp(UserFactory(email="viewer@support.example", is_staff=True))
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_payoutaccount"))
    client = fully_signed_in(viewer)

    listing = client.get("/admin/commerce/payoutaccount/").content.decode()
    client.post(
        "/admin/commerce/payoutaccount/",
        {"action": "approve_accounts", "_selected_action": [flagged.pk], "apply": "1", "reason": "ok"},
    )

    assert "approve_accounts" not in listing
    flagged.refresh_from_db()
    assert flagged.status == PayoutAccountStatus.PENDING_REVIEW


def test_the_sealed_number_opens_only_with_the_key(flagged):
    assert sealing.unseal(flagged.sealed_number) == NUMBER
    assert NUMBER not in flagged.sealed_number
