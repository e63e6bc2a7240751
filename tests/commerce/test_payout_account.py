"""Changing the payout account (SPEC §6a): a code bound to exactly this change, a hold after every
change that grows with risk, the owner e-mailed with the bank and last four digits, and a number
another shop registered held for support's review."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from audit.events import EventKind, RequestContext, record_event
from audit.models import SecurityEvent
from commerce import selectors
from commerce.errors import AccountFrozen, StepUpRequired, TwoStepEnrolmentRequired
from commerce.models import PayoutAccountStatus
from commerce.services import payouts
from security.account_history import _device_hash
from security.models import KnownOrigin
from tests.commerce.conftest import HOME_DEVICE
from tests.conftest import add_totp, totp_code
from tests.factories import PayoutAccountFactory, ShopFactory

pytestmark = pytest.mark.django_db

MULE = {
    "holder_name": "J Smith",
    "bank_name": "Mule Bank",
    "account_number": "GB33 BUKB 2020 1555 5555 55",
    "routing_code": "BUKBGB22",
}


@pytest.fixture
def change(owner_at_home, home, funded_shop, django_capture_on_commit_callbacks):
    """change(code=…, context=…, **details) → the new account, e-mails sent as after commit."""

    def run(*, code=None, context=home, by=owner_at_home, **details):
        with django_capture_on_commit_callbacks(execute=True):
            return payouts.change_payout_account(
                funded_shop,
                by=by,
                details=payouts.clean_details(**{**MULE, **details}),
                code=code if code is not None else owner_at_home.recovery_codes[0],
                context=context,
            )

    return run


def test_a_change_without_a_code_is_refused_naming_the_bank_and_last_four_digits(change, funded_shop):
    with pytest.raises(StepUpRequired) as refusal:
        change(code="")

    assert "Mule Bank ••••5555" in refusal.value.message
    assert refusal.value.approves == "the payout account Mule Bank ••••5555"
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"


def test_a_wrong_code_changes_nothing_and_counts_as_a_failure(change, funded_shop, owner_at_home):
    with pytest.raises(StepUpRequired):
        change(code="000000")

    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"
    assert SecurityEvent.objects.filter(user=owner_at_home, kind=EventKind.TWO_STEP_FAILURE).count() == 1
    assert not SecurityEvent.objects.filter(kind=EventKind.PAYOUT_ACCOUNT_CHANGED).exists()


def test_an_emailed_six_digit_code_cannot_approve_it(change, funded_shop, owner_at_home):
    from django_otp.plugins.otp_email.models import EmailDevice

    device = EmailDevice.objects.create(user=owner_at_home, name="E-mail", confirmed=True)
    device.generate_token()
    with pytest.raises(StepUpRequired):
        change(code=device.token)
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"


def test_a_code_that_approved_one_change_cannot_approve_another(change, owner_at_home):
    code = totp_code(owner_at_home)
    change(code=code)

    with pytest.raises(StepUpRequired):
        change(code=code, bank_name="Second Mule Bank", account_number="DE89370400440532013000")
    recovery = owner_at_home.recovery_codes[3]
    # A refused code makes the next try wait a moment (security/two_step/codes.py).
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        change(code=recovery, bank_name="Third Bank", account_number="FR1420041010050500013M02606")
        with pytest.raises(StepUpRequired):
            change(code=recovery, bank_name="Fourth Bank", account_number="IT60X0542811101000000123456")


def test_the_change_is_active_cancels_unpaid_withdrawals_and_is_recorded(change, funded_shop, owner_at_home):
    from tests.factories import WithdrawalFactory

    old = selectors.active_payout_account(funded_shop)
    waiting = WithdrawalFactory(payout_account=old)
    paid = WithdrawalFactory(payout_account=old, status="paid")

    account = change()

    assert account.status == PayoutAccountStatus.ACTIVE
    old.refresh_from_db()
    assert old.status == PayoutAccountStatus.REPLACED
    waiting.refresh_from_db()
    paid.refresh_from_db()
    assert (waiting.status, paid.status) == ("cancelled", "paid")
    event = SecurityEvent.objects.get(kind=EventKind.PAYOUT_ACCOUNT_CHANGED)
    assert event.shop == funded_shop and event.details["account"] == "Mule Bank ••••5555"
    assert SecurityEvent.objects.filter(kind=EventKind.WITHDRAWAL_CANCELLED).count() == 1
    assert [a.get_status_display() for a in selectors.payout_account_history(funded_shop)] == [
        "Active",
        "Replaced",
    ]


def test_the_owner_is_emailed_the_bank_last_four_digits_and_a_freeze_link(change, owner_at_home):
    change()

    [message] = [m for m in mail.outbox if "payout account" in m.subject]
    assert message.to == [owner_at_home.email]
    assert "Mule Bank" in message.body and "ending in: 5555" in message.body
    assert "GB33BUKB20201555555555" not in message.body and "2020 1555" not in message.body
    assert "/link/#" in message.body


def test_a_change_from_the_usual_browser_and_network_holds_withdrawals_72_hours(change):
    account = change()

    assert account.hold_reasons == ["change"]
    assert account.hold_until - account.created == timedelta(hours=72)


def test_a_browser_first_seen_31_days_ago_gets_72_hours_and_one_seen_29_days_ago_7_days(
    change, owner_at_home, home
):
    origin = KnownOrigin.objects.get(user=owner_at_home, kind="device", key=_device_hash(HOME_DEVICE))
    cases = ((31, timedelta(hours=72), ["change"]), (29, timedelta(days=7), ["new_device"]))
    for n, (days, hold, reasons) in enumerate(cases):
        origin.first_seen = timezone.now() - timedelta(days=days)
        origin.save()
        account = change(account_number=f"NL91ABNA04171643{days}", code=owner_at_home.recovery_codes[n])
        assert (account.hold_until - account.created, account.hold_reasons) == (hold, reasons)


def test_a_new_browser_or_network_holds_withdrawals_7_days(change):
    stranger = RequestContext(ip="203.0.113.9", user_agent="Chrome", device_id="never-seen-here")

    account = change(context=stranger)

    assert account.hold_until - account.created == timedelta(days=7)
    assert set(account.hold_reasons) == {"new_device", "new_network"}


def test_a_password_or_email_change_in_the_last_7_days_holds_withdrawals_7_days(change, owner_at_home):
    with time_machine.travel(timezone.now() - timedelta(days=6)):
        record_event(owner_at_home, EventKind.PASSWORD_CHANGED)

    account = change()

    assert account.hold_reasons == ["recent_account_change"]
    assert account.hold_until - account.created == timedelta(days=7)


def test_an_older_password_change_does_not_lengthen_the_hold(change, owner_at_home):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        record_event(owner_at_home, EventKind.EMAIL_CHANGED)

    assert change().hold_reasons == ["change"]


def test_the_hold_ends_when_it_says(change, funded_shop):
    account = change()

    assert selectors.payout_hold(funded_shop).until == account.hold_until
    with time_machine.travel(account.hold_until + timedelta(seconds=1)):
        assert selectors.payout_hold(funded_shop) is None


def test_an_account_number_of_another_shop_waits_for_review_and_holds_withdrawals(change, funded_shop):
    mule_shop = ShopFactory()
    PayoutAccountFactory(
        shop=mule_shop,
        **{k: v for k, v in MULE.items() if k != "account_number"},
        account_number="gb33bukb20201555555555",
    )

    account = change()

    assert account.status == PayoutAccountStatus.PENDING_REVIEW
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"
    hold = selectors.payout_hold(funded_shop)
    assert hold.until is None and "review" in hold.reasons
    assert SecurityEvent.objects.filter(kind=EventKind.PAYOUT_ACCOUNT_FLAGGED, shop=funded_shop).exists()
    assert "reviews it" in next(m for m in mail.outbox if "payout account" in m.subject).body
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert selectors.payout_hold(funded_shop) is not None


def test_the_money_path_stays_closed_without_two_step_and_while_frozen(funded_shop, owner, home):
    details = payouts.clean_details(**MULE)
    with pytest.raises(TwoStepEnrolmentRequired):
        payouts.change_payout_account(funded_shop, by=owner, details=details, code="123456", context=home)

    add_totp(owner)
    owner.frozen_at, owner.freeze_scope = timezone.now(), "unproven"
    owner.save()
    with pytest.raises(AccountFrozen):
        payouts.change_payout_account(
            funded_shop, by=owner, details=details, code=owner.recovery_codes[0], context=home
        )
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("account_number", "12"),
        ("account_number", "1234-5678-<script>"),
        ("account_number", "9" * 40),
        ("routing_code", ""),
        ("holder_name", "x" * 121),
        ("bank_name", "Bank\x00"),
    ],
)
def test_bad_details_are_refused_with_the_field_named(field, value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        payouts.clean_details(**{**MULE, field: value})
    assert field in refusal.value.message_dict
