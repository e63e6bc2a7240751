"""Orders: arrange delivery, cancel an unshipped order, returns and refunds (orders.manage)."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from audit.events import EventKind, RequestContext, record_event
from commerce import money
from commerce.errors import StateConflict
from commerce.models import Carrier, Order, Refund, RefundReason
from commerce.services.common import move, text

TRACKING_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9\-]{3,39}$")
REFUND_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
NOT_REFUNDABLE = gettext_lazy(
    "This order is %(status)s: only shipped or delivered orders with something left to refund can be "
    "refunded (cancel an order that has not shipped)."
)


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(pk=order.pk)


@transaction.atomic
def ship_order(order: Order, *, carrier: str, tracking_number: str) -> Order:
    """Arrange delivery of a pending order with the carrier's tracking number.

    ValidationError for an unknown carrier or a malformed tracking number; StateConflict
    "order_not_shippable" for an order already shipped, cancelled or refunded.
    """
    errors = {}
    if carrier not in Carrier.values:
        errors["carrier"] = [_("Choose one of the carriers in the list.")]
    tracking_number = re.sub(r"\s", "", str(tracking_number or "")).upper()
    if not TRACKING_NUMBER.match(tracking_number):
        errors["tracking_number"] = [
            _("Enter the carrier's tracking number: 4 to 40 letters, digits or dashes.")
        ]
    if errors:
        raise ValidationError(errors)
    order = _locked(order)
    move(
        order,
        "ship",
        code="order_not_shippable",
        message=gettext_lazy("This order is %(status)s: only a pending order can be shipped."),
        carrier=carrier,
        tracking_number=tracking_number,
    )
    order.save()
    return order


@transaction.atomic
def cancel_order(order: Order, *, reason: str) -> Order:
    """Cancel an order that has not shipped; StateConflict "order_not_cancellable" otherwise."""
    reason = text(reason, field="reason", max_length=200)
    order = _locked(order)
    move(
        order,
        "cancel",
        code="order_not_cancellable",
        message=gettext_lazy(
            "This order is %(status)s: only an order that has not shipped can be cancelled. Refund "
            "it instead."
        ),
        reason=reason,
    )
    order.save()
    return order


def refund_order(
    order: Order, *, amount: Decimal, reason: str, note: str = "", key: str, by, context: RequestContext
) -> tuple[Refund, bool]:
    """Refund all or part of what remains refundable on a shipped or delivered order.

    `key` identifies this refund request: sent again (a double click, a retried API call), it
    returns the refund it already made and (refund, False) instead of refunding twice; the same key
    with another amount is StateConflict "refund_key_reused". Returns (refund, True) when it refunded.
    StateConflict "order_not_refundable" or "refund_exceeds_remaining"; ValidationError for bad input.
    """
    key = str(key or "").strip()
    errors = {}
    if not REFUND_KEY.match(key):
        errors["key"] = [_("Send a refund request key of 8 to 64 letters, digits, dashes or underscores.")]
    if reason not in RefundReason.values:
        errors["reason"] = [_("Choose one of the reasons in the list.")]
    try:
        note = text(note, field="note", max_length=500, required=False, multiline=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        amount = money.check_amount(amount, order.shop.currency, field="amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # The order's row lock serialises refunds of one order: two at once cannot both fit.
        order = _locked(order)
        earlier = Refund.objects.filter(order=order, key=key).first()
        if earlier is not None:
            if earlier.amount != amount or earlier.reason != reason:
                raise StateConflict(
                    _(
                        "This refund request key was already used for a different refund. "
                        "Reload the page to start a new refund."
                    ),
                    code="refund_key_reused",
                )
            return earlier, False
        if not can_proceed(order.refund):
            raise StateConflict(
                NOT_REFUNDABLE % {"status": order.get_status_display().lower()}, code="order_not_refundable"
            )
        if amount > order.refundable:
            raise StateConflict(
                _("At most %(amount)s remains refundable on this order.")
                % {"amount": money.format_money(order.refundable, order.shop.currency)},
                code="refund_exceeds_remaining",
            )
        order.refund(amount)
        order.save()
        refund = Refund.objects.create(
            order=order, amount=amount, reason=reason, note=note, key=key, created_by=by
        )
        record_event(
            by,
            EventKind.ORDER_REFUNDED,
            shop=order.shop,
            context=context,
            order=order.number,
            amount=str(amount),
            currency=order.shop.currency,
            reason=reason,
        )
    return refund, True
