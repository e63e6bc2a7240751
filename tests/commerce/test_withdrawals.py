"""Withdrawals (SPEC §6a): up to the available balance, with a code bound to each, refused while a
hold or a freeze applies, paid out by the payout run; and what a freeze of the owner undoes."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import EventKind
from audit.models import SecurityEvent
from commerce import selectors
from commerce.errors import CommerceError, PayoutHold, StepUpRequired
from commerce.models import PayoutAccountStatus, WithdrawalStatus
from commerce.services import payouts, withdrawals
from commerce.tasks import pay_out_withdrawals
from security.freeze import FreezeOrigin, freeze_account
from tests.factories import PayoutAccountFactory, WithdrawalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdraw(funded_shop, owner_at_home, home, django_capture_on_commit_callbacks):
    codes = iter(owner_at_home.recovery_codes)

    def run(amount, *, code=None):
        with django_capture_on_commit_callbacks(execute=True):
            return withdrawals.request_withdrawal(
                funded_shop, by=owner_at_home, amount=Decimal(amount), code=code or next(codes), context=home
            )

    return run


def test_the_balance_is_settled_bills_net_less_withdrawals_not_cancelled(funded_shop):
    account = selectors.active_payout_account(funded_shop)
    WithdrawalFactory(payout_account=account, amount=Decimal("100.00"), status="paid")
    WithdrawalFactory(payout_account=account, amount=Decimal("30.00"))
    WithdrawalFactory(payout_account=account, amount=Decimal("500.00"), status="cancelled")

    assert selectors.available_balance(funded_shop) == Decimal("1800.00")
    assert selectors.available_balance(funded_shop).as_tuple().exponent == -2


def test_the_balance_has_the_precision_of_the_shops_currency(funded_shop):
    funded_shop.currency = "JPY"
    funded_shop.save()
    assert str(selectors.available_balance(funded_shop)) == "1930"
    funded_shop.currency = "KWD"
    funded_shop.save()
    assert str(selectors.available_balance(funded_shop)) == "1930.000"


def test_a_withdrawal_is_requested_recorded_emailed_and_paid_by_the_payout_run(withdraw, funded_shop, owner):
    withdrawal = withdraw("500.00")

    assert withdrawal.status == WithdrawalStatus.REQUESTED
    assert selectors.available_balance(funded_shop) == Decimal("1430.00")
    assert SecurityEvent.objects.filter(kind=EventKind.WITHDRAWAL_REQUESTED, shop=funded_shop).exists()
    assert any("USD 500.00" in m.subject for m in mail.outbox)

    assert pay_out_withdrawals() == 1
    assert pay_out_withdrawals() == 0  # a second run pays nothing twice
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PAID and withdrawal.payout_reference.startswith("PO-")
    assert SecurityEvent.objects.filter(kind=EventKind.WITHDRAWAL_PAID).count() == 1
    assert selectors.available_balance(funded_shop) == Decimal("1430.00")


def test_more_than_the_balance_is_refused(withdraw):
    with pytest.raises(CommerceError) as refusal:
        withdraw("1930.01")
    assert refusal.value.code == "insufficient_balance"
    withdraw("1930.00")


@pytest.mark.parametrize("amount", ["0", "-5", "10.001", "1e20"])
def test_bad_amounts_are_refused_before_any_code_is_checked(withdraw, amount, owner_at_home):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        withdraw(amount)
    assert not SecurityEvent.objects.filter(kind=EventKind.TWO_STEP_SUCCESS).exists()


def test_a_withdrawal_needs_a_code_bound_to_it(withdraw, funded_shop):
    with pytest.raises(StepUpRequired) as refusal:
        withdraw("10.00", code="999999")
    assert "withdrawing USD\xa010.00 to Old Bank ••••2222" in refusal.value.message
    assert not funded_shop.withdrawals.exists()


def change_to_a_new_bank(shop, owner, context):
    """The owner changes the payout account from home, with a recovery code: withdrawals are held."""
    details = payouts.clean_details(
        holder_name="A", bank_name="New Bank", account_number="NL91ABNA0417164300", routing_code="ABNANL2A"
    )
    return payouts.change_payout_account(
        shop, by=owner, details=details, code=owner.recovery_codes[9], context=context
    )


def test_during_the_hold_withdrawals_are_refused_with_payout_hold(withdraw, funded_shop, owner_at_home, home):
    account = change_to_a_new_bank(funded_shop, owner_at_home, home)
    with pytest.raises(PayoutHold) as refusal:
        withdraw("10.00")
    assert refusal.value.code == "payout_hold" and refusal.value.until == account.hold_until
    assert SecurityEvent.objects.filter(kind=EventKind.WITHDRAWAL_REFUSED).count() == 1

    with time_machine.travel(account.hold_until + timedelta(minutes=1)):
        assert withdraw("10.00").payout_account == account


def test_while_frozen_even_unproven_withdrawals_are_refused_and_not_paid(
    withdraw, funded_shop, owner_at_home, home
):
    waiting = withdraw("100.00")
    freeze_account(
        owner_at_home,
        scope=FreezeScope.UNPROVEN,
        origin=FreezeOrigin.RECOVERY_REQUEST,
        reason="r",
        context=home,
    )
    owner_at_home.refresh_from_db()
    funded_shop.refresh_from_db()

    with pytest.raises(CommerceError) as refusal:
        withdraw("10.00")
    assert refusal.value.code == "account_frozen"
    assert pay_out_withdrawals() == 0
    waiting.refresh_from_db()
    assert waiting.status == WithdrawalStatus.REQUESTED  # unproven: held, not cancelled
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"


def test_a_full_freeze_rolls_back_recent_changes_to_the_account_before_them_and_cancels_withdrawals(
    funded_shop, owner_at_home, home, django_capture_on_commit_callbacks
):
    oldest = selectors.active_payout_account(funded_shop)
    oldest.status = PayoutAccountStatus.REPLACED
    oldest.save()
    old = PayoutAccountFactory(
        shop=funded_shop,
        bank_name="Middle Bank",
        account_number="DE89370400440532012222",
        created=timezone.now() - timedelta(days=20),
    )
    details = payouts.clean_details(
        holder_name="X",
        bank_name="Mule Bank",
        account_number="GB33BUKB20201555555555",
        routing_code="BUKBGB22",
    )
    mule = payouts.change_payout_account(
        funded_shop, by=owner_at_home, details=details, code=owner_at_home.recovery_codes[0], context=home
    )
    paid = WithdrawalFactory(payout_account=old, status="paid", amount=Decimal("50"))

    with django_capture_on_commit_callbacks(execute=True):
        freeze_account(
            owner_at_home,
            scope=FreezeScope.FULL,
            origin=FreezeOrigin.ALERT_LINK,
            reason="not me",
            context=home,
        )

    mule.refresh_from_db()
    assert mule.status == PayoutAccountStatus.ROLLED_BACK
    assert selectors.active_payout_account(funded_shop) == old
    oldest.refresh_from_db()
    assert oldest.status == PayoutAccountStatus.REPLACED  # replaced before the window: untouched
    paid.refresh_from_db()
    assert paid.status == WithdrawalStatus.PAID
    event = SecurityEvent.objects.get(kind=EventKind.PAYOUT_ACCOUNT_ROLLED_BACK)
    assert event.details["restored"] == "Middle Bank ••••2222"
    assert any("undone" in m.subject for m in mail.outbox)


def test_a_full_freeze_cancels_withdrawals_not_yet_paid_out(withdraw, funded_shop, owner_at_home, home):
    waiting = withdraw("100.00")

    freeze_account(
        owner_at_home, scope=FreezeScope.FULL, origin=FreezeOrigin.OWNER, reason="mine", context=home
    )

    waiting.refresh_from_db()
    assert waiting.status == WithdrawalStatus.CANCELLED
    assert selectors.available_balance(funded_shop) == Decimal("1930.00")
    assert SecurityEvent.objects.filter(kind=EventKind.WITHDRAWAL_CANCELLED).count() == 1


def test_a_changes_pending_review_is_rolled_back_too_and_the_active_account_stays(
    funded_shop, owner_at_home, home
):
    PayoutAccountFactory(account_number="GB33BUKB20201555555555", routing_code="BUKBGB22")  # another shop
    details = payouts.clean_details(
        holder_name="X",
        bank_name="Mule Bank",
        account_number="GB33BUKB20201555555555",
        routing_code="BUKBGB22",
    )
    pending = payouts.change_payout_account(
        funded_shop, by=owner_at_home, details=details, code=owner_at_home.recovery_codes[0], context=home
    )

    freeze_account(
        owner_at_home, scope=FreezeScope.FULL, origin=FreezeOrigin.STAFF, reason="staff", context=home
    )

    pending.refresh_from_db()
    assert pending.status == PayoutAccountStatus.ROLLED_BACK
    assert selectors.active_payout_account(funded_shop).bank_name == "Old Bank"
    assert selectors.pending_payout_account(funded_shop) is None


def test_during_the_hold_the_page_explains_it_and_offers_no_form(
    fully_signed_in, funded_shop, owner_at_home, home
):
    page, client = f"/shop/{funded_shop.slug}/finance/withdrawals/", fully_signed_in(owner_at_home)
    assert 'name="amount"' in client.get(page).content.decode()
    change_to_a_new_bank(funded_shop, owner_at_home, home)
    body = client.get(page).content.decode()
    assert "Withdrawals are on hold" in body and 'name="amount"' not in body
