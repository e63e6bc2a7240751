"""Withdrawals of the balance to the payout account (store.sensitive, a code bound to each; SPEC §6a).

A request waits in "requested" until the payout run (commerce.tasks.pay_out_withdrawals, Celery beat)
pays it, once no hold or freeze applies. Changing the payout account, or a full freeze of the owner,
cancels every withdrawal not yet paid out.
"""

import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import EventKind, RequestContext, record_event
from commerce import money, selectors
from commerce.errors import CodesThrottled, CommerceError, PayoutHold, StepUpRequired
from commerce.models import Withdrawal, WithdrawalStatus
from commerce.services.guards import approve_with_code, locked_shop, require_money_path_open
from notifications.email import send_email
from security.freeze import freeze_link_url


def _hold_message(hold: selectors.Hold) -> str:
    if hold.until is None:
        return _(
            "Withdrawals are on hold while support reviews the new payout account. "
            "We e-mail the owner when the review is done."
        )
    return _(
        "Withdrawals are on hold after the change of the payout account, until %(until)s: %(reasons)s."
    ) % {
        "until": f"{timezone.localtime(hold.until):%d %b %Y %H:%M %Z}",
        "reasons": "; ".join(str(label) for label in hold.labels),
    }


def _check_can_withdraw(shop, amount: Decimal) -> None:
    """The state checks, each a 409 with its code: freeze, hold, no account, not enough balance."""
    if shop.owner.is_frozen:
        raise CommerceError(
            _(
                "The shop owner's account is frozen while its recovery is reviewed: withdrawals wait "
                "until it is unfrozen."
            ),
            code="account_frozen",
        )
    hold = selectors.payout_hold(shop)
    if hold is not None:
        raise PayoutHold(hold.until, hold.reasons, _hold_message(hold))
    if selectors.active_payout_account(shop) is None:
        raise CommerceError(_("Set up a payout account first."), code="no_payout_account")
    available = selectors.available_balance(shop)
    if amount > available:
        raise CommerceError(
            _("That is more than the available balance of %(amount)s.")
            % {"amount": money.format_money(available, shop.currency)},
            code="insufficient_balance",
        )


def _refusal(shop, amount: Decimal, *, by, context: RequestContext) -> CommerceError | None:
    """The state checks' refusal, recorded as WITHDRAWAL_REFUSED; None when the withdrawal may go on."""
    try:
        _check_can_withdraw(shop, amount)
    except CommerceError as error:
        record_event(
            by, EventKind.WITHDRAWAL_REFUSED, shop=shop, context=context, amount=str(amount), code=error.code
        )
        return error
    return None


def request_withdrawal(shop, *, by, amount: Decimal, code: str | None, context: RequestContext) -> Withdrawal:
    """Ask to pay `amount` (a Decimal in the shop's currency) out to the active payout account.

    Checks, in order: two-step verification on (403), the amount (ValidationError), a freeze (409
    "account_frozen"), a hold (409 "payout_hold"), a payout account (409 "no_payout_account"), the
    available balance (409 "insufficient_balance"), then the code bound to this withdrawal (403
    "step_up_required"). The balance is checked again under the shop's row lock, so two requests at
    once cannot together exceed it. Recorded, and e-mailed to the owner with a "This wasn't me" link.
    """
    require_money_path_open(shop, by)
    amount = money.check_amount(amount, shop.currency, field="amount")
    if (refused := _refusal(shop, amount, by=by, context=context)) is not None:
        raise refused
    account = selectors.active_payout_account(shop)
    what = f"withdrawing {money.format_money(amount, shop.currency)} to {account.summary}"

    with transaction.atomic():
        shop = locked_shop(shop)
        # Checked again under the lock, before the code is looked at: a recovery code is not used up
        # by a request that another withdrawal beat to the balance.
        refusal = _refusal(shop, amount, by=by, context=context)
        if refusal is None:
            try:
                # Spent in this transaction, after the balance check under the shop's lock. A wrong
                # code is caught so its count commits with the transaction and the request fails.
                approve_with_code(by, code, context, action="finance.withdraw", what=what)
            except (StepUpRequired, CodesThrottled) as error:
                refusal = error
        if refusal is None:
            withdrawal = _create_withdrawal(shop, by=by, amount=amount, context=context)
    if refusal is not None:
        raise refusal
    return withdrawal


def _create_withdrawal(shop, *, by, amount: Decimal, context: RequestContext) -> Withdrawal:
    """Create, record and e-mail one withdrawal; the caller holds the shop's row lock."""
    account = selectors.active_payout_account(shop)
    withdrawal = Withdrawal.objects.create(
        shop=shop, payout_account=account, amount=amount, currency=shop.currency, requested_by=by
    )
    record_event(
        by,
        EventKind.WITHDRAWAL_REQUESTED,
        shop=shop,
        context=context,
        withdrawal=withdrawal.pk,
        amount=str(amount),
        currency=shop.currency,
        account=account.summary,
    )
    send_email(
        shop.owner,
        "withdrawal_requested",
        {
            "shop": shop,
            "amount": money.format_money(amount, shop.currency),
            "account": account,
            "freeze_url": freeze_link_url(shop.owner, subject=f"withdrawal:{withdrawal.pk}"),
        },
    )
    return withdrawal


def cancel_unpaid(shop, *, reason: str, why: str, context: RequestContext, by=None) -> int:
    """Cancel every withdrawal of the shop not yet paid out; each is recorded. Call under locked_shop."""
    cancelled = 0
    for withdrawal in Withdrawal.objects.select_for_update().filter(
        shop=shop, status=WithdrawalStatus.REQUESTED
    ):
        withdrawal.cancel(reason=why)
        withdrawal.save()
        record_event(
            by or shop.owner,
            EventKind.WITHDRAWAL_CANCELLED,
            shop=shop,
            context=context,
            withdrawal=withdrawal.pk,
            amount=str(withdrawal.amount),
            currency=withdrawal.currency,
            reason=reason,
        )
        cancelled += 1
    return cancelled


def payable() -> list[int]:
    """Ids of withdrawals waiting to be paid out, oldest first."""
    return list(
        Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED)
        .order_by("created", "id")
        .values_list("pk", flat=True)
    )


def pay_out(withdrawal_id: int) -> bool:
    """Pay one requested withdrawal out if no freeze or hold applies now; True when it was paid.

    Idempotent: a withdrawal already paid or cancelled is left alone, and two runs at once take the
    shop's row lock in turn. A held or frozen shop's withdrawal stays requested for a later run.
    """
    with transaction.atomic():
        withdrawal = Withdrawal.objects.filter(pk=withdrawal_id).select_related("shop").first()
        if withdrawal is None:
            return False
        shop = locked_shop(withdrawal.shop)
        withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
        if withdrawal.status != WithdrawalStatus.REQUESTED:
            return False
        if shop.owner.is_frozen or selectors.payout_hold(shop) is not None:
            return False
        active = selectors.active_payout_account(shop)
        if active is None or active.pk != withdrawal.payout_account_id:
            # The account changed after the request: the change should have cancelled it already.
            withdrawal.cancel(reason="The payout account changed after this withdrawal was requested.")
            withdrawal.save()
            record_event(
                shop.owner,
                EventKind.WITHDRAWAL_CANCELLED,
                shop=shop,
                withdrawal=withdrawal.pk,
                reason="payout_account_changed",
            )
            return False
        # The payment provider's transfer goes here, to active's unsealed number.
        withdrawal.pay(reference=f"PO-{secrets.token_hex(6).upper()}")
        withdrawal.save()
        record_event(
            shop.owner,
            EventKind.WITHDRAWAL_PAID,
            shop=shop,
            withdrawal=withdrawal.pk,
            amount=str(withdrawal.amount),
            currency=withdrawal.currency,
            account=active.summary,
            reference=withdrawal.payout_reference,
        )
        send_email(
            shop.owner,
            "withdrawal_paid",
            {
                "shop": shop,
                "amount": money.format_money(withdrawal.amount, withdrawal.currency),
                "account": active,
                "reference": withdrawal.payout_reference,
            },
        )
    return True
