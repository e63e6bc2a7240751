"""Withdrawals at the same moment cannot together exceed the balance: the balance is checked under
the shop's row lock (PostgreSQL, real concurrency: threads with their own database connections)."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from audit.events import RequestContext
from commerce import selectors
from commerce.errors import CommerceError, StepUpRequired
from commerce.models import Withdrawal
from commerce.services import withdrawals
from commerce.services.guards import locked_shop
from tests.conftest import add_totp
from tests.factories import BillFactory, PayoutAccountFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTEXT = RequestContext(ip="198.51.100.7", user_agent="test", device_id=None)


@pytest.fixture
def funded(shop):
    """USD 1,930.00 available, an old payout account, an owner with ten recovery codes."""
    BillFactory(shop=shop, amount=Decimal("1000.00"), fees=Decimal("35.00"))
    BillFactory(shop=shop, amount=Decimal("1000.00"), fees=Decimal("35.00"))
    PayoutAccountFactory(shop=shop)
    add_totp(shop.owner)
    return shop


def _in_thread(target, *args):
    outcome = {}

    def run():
        try:
            outcome["result"] = target(*args)
        except CommerceError as error:
            outcome["refused"] = error.code
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_five_withdrawals_at_once_take_no_more_than_the_balance(funded):
    owner = funded.owner
    start = threading.Barrier(5)

    def withdraw(code):
        start.wait()
        return withdrawals.request_withdrawal(
            funded, by=owner, amount=Decimal("500.00"), code=code, context=CONTEXT
        )

    codes = owner.recovery_codes[:5]
    runs = [_in_thread(withdraw, code) for code in codes]
    for thread, _outcome in runs:
        thread.join(timeout=30)

    outcomes = [outcome for _thread, outcome in runs]
    assert sum("result" in outcome for outcome in outcomes) == 3
    assert [outcome["refused"] for outcome in outcomes if "refused" in outcome] == [
        "insufficient_balance"
    ] * 2
    assert Withdrawal.objects.filter(shop=funded).count() == 3
    assert selectors.available_balance(funded) == Decimal("430.00")

    # The two refused requests did not use up their recovery codes: each still approves a withdrawal.
    unspent = [code for code, outcome in zip(codes, outcomes, strict=True) if "refused" in outcome]
    for code in unspent:
        withdrawals.request_withdrawal(funded, by=owner, amount=Decimal("100.00"), code=code, context=CONTEXT)
    assert Withdrawal.objects.filter(shop=funded).count() == 5
    # The accepted requests' codes are used up.
    spent = next(code for code, outcome in zip(codes, outcomes, strict=True) if "result" in outcome)
    with pytest.raises(StepUpRequired):
        withdrawals.request_withdrawal(funded, by=owner, amount=Decimal("10.00"), code=spent, context=CONTEXT)


def test_a_withdrawal_waits_for_the_shops_lock_and_then_sees_the_balance_left(funded):
    owner = funded.owner
    holding = threading.Event()
    release = threading.Event()

    def hold_the_lock():
        with transaction.atomic():
            shop = locked_shop(funded)
            holding.set()
            release.wait(timeout=10)
            Withdrawal.objects.create(
                shop=shop,
                payout_account=selectors.active_payout_account(shop),
                amount=Decimal("1500.00"),
                currency="USD",
            )

    holder, _ = _in_thread(hold_the_lock)
    assert holding.wait(timeout=10)
    started = time.monotonic()
    contender, outcome = _in_thread(
        lambda: withdrawals.request_withdrawal(
            funded, by=owner, amount=Decimal("1000.00"), code=owner.recovery_codes[0], context=CONTEXT
        )
    )
    time.sleep(0.5)
    assert contender.is_alive()  # blocked on the shop's row lock, not past it
    release.set()
    holder.join(timeout=10)
    contender.join(timeout=10)

    assert time.monotonic() - started >= 0.5
    assert outcome == {"refused": "insufficient_balance"}
    assert selectors.available_balance(funded) == Decimal("430.00")
    # The refused request's recovery code is still usable.
    withdrawals.request_withdrawal(
        funded, by=owner, amount=Decimal("100.00"), code=owner.recovery_codes[0], context=CONTEXT
    )
