"""The money path over HTTP: the payout account page flow and PUT, withdrawals, and their refusals."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import RequestContext
from commerce import selectors
from security.freeze import FreezeOrigin, freeze_account
from security.models import KnownOrigin
from tests.conftest import add_totp, totp_code

pytestmark = pytest.mark.django_db

DETAILS = {
    "holder_name": "Olivia Owner",
    "bank_name": "Mule Bank",
    "account_number": "GB33BUKB20201555559876",
    "routing_code": "BUKBGB22",
}


@pytest.fixture
def owner_client(funded_shop, fully_signed_in):
    owner = add_totp(funded_shop.owner)
    client = fully_signed_in(owner)
    client.owner = owner
    return client


def put(client, slug, **data):
    return client.put(f"/api/v1/shops/{slug}/finance/payout-account", data, content_type="application/json")


def test_put_without_a_code_is_403_step_up_required_naming_bank_and_last_four(owner_client, funded_shop):
    response = put(owner_client, funded_shop.slug, **DETAILS)

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "step_up_required"
    assert (
        "Mule Bank ••••9876" in body["detail"] and body["approves"] == "the payout account Mule Bank ••••9876"
    )
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"


def test_put_with_a_code_answers_masked_hold_until_and_status(owner_client, funded_shop):
    response = put(owner_client, funded_shop.slug, **DETAILS, code=owner_client.owner.recovery_codes[0])

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["masked"] == "••••9876" and body["status"] == "active"
    assert body["hold_until"].endswith("Z")  # UTC
    assert "GB33" not in response.content.decode()
    got = owner_client.get(f"/api/v1/shops/{funded_shop.slug}/finance/payout-account").json()
    assert got["masked"] == "••••9876" and "account_number" not in got


def test_withdrawing_during_the_hold_is_409_payout_hold_with_its_end(owner_client, funded_shop):
    put(owner_client, funded_shop.slug, **DETAILS, code=owner_client.owner.recovery_codes[0])

    response = owner_client.post(
        f"/api/v1/shops/{funded_shop.slug}/finance/withdrawals",
        {"amount": "100.00", "code": owner_client.owner.recovery_codes[1]},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "payout_hold"
    assert response.json()["hold_until"]
    assert not funded_shop.withdrawals.exists()


def test_a_withdrawal_over_the_api_is_201_and_listed_with_its_status(owner_client, funded_shop):
    url = f"/api/v1/shops/{funded_shop.slug}/finance/withdrawals"
    created = owner_client.post(
        url, {"amount": "100.5", "code": totp_code(owner_client.owner, 1)}, content_type="application/json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "100.50" and created.json()["status"] == "requested"
    listed = owner_client.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["account"] == "••••2222"
    balance = owner_client.get(f"/api/v1/shops/{funded_shop.slug}/finance/balance").json()
    assert balance == {
        "currency": "USD",
        "available": "1829.50",
        "settled_net": "1930.00",
        "open_net": "490.00",
        "requested": "100.50",
        "paid_out": "0.00",
        "hold": None,
    }


@pytest.mark.parametrize(
    "body",
    [{}, {"amount": "ten"}, {"amount": None}, {"amount": [1]}, {"amount": "NaN"}, {"amount": "1" * 80}, "x"],
)
def test_bad_withdrawal_bodies_are_400_never_500(owner_client, funded_shop, body):
    response = owner_client.post(
        f"/api/v1/shops/{funded_shop.slug}/finance/withdrawals", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "parse_error")


def test_a_frozen_owner_signed_in_from_an_established_browser_gets_409_account_frozen(
    owner_client, funded_shop, password, settings, client
):
    owner = owner_client.owner
    device_id = owner_client.cookies[settings.KNOWN_DEVICE_COOKIE].value
    KnownOrigin.objects.filter(user=owner, kind="device").update(
        first_seen=timezone.now() - timedelta(days=30)
    )
    freeze_account(
        owner,
        scope=FreezeScope.UNPROVEN,
        origin=FreezeOrigin.RECOVERY_REQUEST,
        reason="r",
        context=RequestContext(),
    )

    client.cookies[settings.KNOWN_DEVICE_COOKIE] = device_id
    client.post("/login/", {"email": owner.email, "password": password})
    client.post("/login/verify/", {"code": totp_code(owner, 1)})
    response = client.post(
        f"/api/v1/shops/{funded_shop.slug}/finance/withdrawals",
        {"amount": "10", "code": owner.recovery_codes[0]},
        content_type="application/json",
    )

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "account_frozen"


def test_without_two_step_the_money_path_is_closed(funded_shop, signed_in):
    client = signed_in(funded_shop.owner)

    response = put(client, funded_shop.slug, **DETAILS, code="123456")
    page = client.get(f"/shop/{funded_shop.slug}/finance/payout-account/change/")

    assert response.status_code == 403 and response.json()["code"] == "two_step_enrolment_required"
    assert page.status_code == 403 and "Turn on two-step verification" in page.content.decode()


def test_the_page_flow_shows_the_bank_and_last_four_then_takes_the_code(
    owner_client, funded_shop, django_capture_on_commit_callbacks
):
    base = f"/shop/{funded_shop.slug}/finance/payout-account/"
    assert "Change payout account" in owner_client.get(base).content.decode()

    review = owner_client.post(base + "change/", DETAILS)
    page = review.content.decode()
    assert review.status_code == 200
    assert "Mule Bank" in page and "ending in <strong>9876</strong>" in page

    wrong = owner_client.post(base + "confirm/", {**DETAILS, "code": "000000"})
    assert wrong.status_code == 403 and "not valid" in wrong.content.decode()
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"

    # A refused code makes the next try wait a moment (security/two_step/codes.py).
    with (
        time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = owner_client.post(base + "confirm/", {**DETAILS, "code": owner_client.owner.recovery_codes[0]})
    assert done.status_code == 302
    shown = owner_client.get(base).content.decode()
    assert "••••9876" in shown and "GB33BUKB" not in shown
    assert "Withdrawals are on hold until" in shown
    assert "first seen on this account in the last 30 days" in shown  # the test browser is new
    assert any("9876" in m.body for m in mail.outbox)


def test_the_withdrawals_page_lists_withdrawals_and_refuses_during_a_hold(owner_client, funded_shop):
    url = f"/shop/{funded_shop.slug}/finance/withdrawals/"
    done = owner_client.post(url, {"amount": "25.00", "code": owner_client.owner.recovery_codes[2]})
    assert done.status_code == 302
    page = owner_client.get(url).content.decode()
    assert "USD\xa025.00" in page and "Requested" in page

    owner_client.post(
        f"/shop/{funded_shop.slug}/finance/payout-account/confirm/",
        {**DETAILS, "code": owner_client.owner.recovery_codes[3]},
    )
    refused = owner_client.post(url, {"amount": "25.00", "code": owner_client.owner.recovery_codes[4]})
    assert refused.status_code == 409
    assert "on hold" in refused.content.decode()
    assert "Cancelled" in owner_client.get(url).content.decode()  # the account change cancelled it
