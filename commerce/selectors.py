"""Reads of module data, each already scoped to one shop: the one way in.

Pages and the API call these with the caller's membership (or, for the money figures that other
apps read, the shop), so another shop's rows are simply not there: a single object of another shop
is Http404, whatever its id.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from commerce import money
from commerce.models import (
    AdPlan,
    AffiliatePlan,
    Bill,
    BillStatus,
    Campaign,
    Conversation,
    CreatorContact,
    CreatorStatus,
    HoldReason,
    Message,
    Order,
    PayoutAccount,
    PayoutAccountStatus,
    Product,
    Refund,
    Withdrawal,
    WithdrawalStatus,
)


def _with_status(queryset, status: str | None):
    return queryset.filter(status=status) if status else queryset


# Products.


def products_for(membership, *, status: str | None = None, search: str = ""):
    """The shop's products, optionally by status and by a name or SKU fragment."""
    products = _with_status(Product.objects.filter(shop_id=membership.shop_id), status)
    search = search.strip()
    if search:
        products = products.filter(Q(name__icontains=search) | Q(sku__icontains=search))
    return products


def product_for(membership, pk) -> Product:
    return get_object_or_404(Product, shop_id=membership.shop_id, pk=pk)


# Orders.


def orders_for(membership, *, status: str | None = None):
    """The shop's orders, newest first."""
    return _with_status(Order.objects.filter(shop_id=membership.shop_id), status)


def order_for(membership, pk) -> Order:
    return get_object_or_404(Order, shop_id=membership.shop_id, pk=pk)


def refunds_of(order: Order):
    """An order's refunds, newest first (the order came from order_for, so it is the caller's)."""
    return Refund.objects.filter(order=order).select_related("created_by")


# Finance.


def bills_for(membership, *, status: str | None = None):
    """The shop's bills, latest period first."""
    return _with_status(Bill.objects.filter(shop_id=membership.shop_id), status)


def bill_for(membership, pk) -> Bill:
    return get_object_or_404(Bill, shop_id=membership.shop_id, pk=pk)


def orders_in_period(membership, bill: Bill):
    """Number and sum of the shop's orders placed in the bill's month, and their refunds."""
    year, month = bill.period.year, bill.period.month
    return Order.objects.filter(
        shop_id=membership.shop_id, created__year=year, created__month=month
    ).aggregate(
        count=Count("id"),
        total=Coalesce(Sum("total"), Value(Decimal("0")), output_field=DecimalField()),
        refunded=Coalesce(Sum("refunded_total"), Value(Decimal("0")), output_field=DecimalField()),
    )


def _sum(queryset, expression) -> Decimal:
    return queryset.aggregate(
        total=Coalesce(Sum(expression), Value(Decimal("0")), output_field=DecimalField())
    )["total"]


def available_balance(shop) -> Decimal:
    """What the shop may withdraw: the net (sales less fees) of its settled bills, less withdrawals
    not cancelled (requested or paid), as a Decimal at the precision of the shop's currency."""
    settled = _sum(Bill.objects.filter(shop=shop, status=BillStatus.SETTLED), F("amount") - F("fees"))
    withdrawn = _sum(
        Withdrawal.objects.filter(shop=shop).exclude(status=WithdrawalStatus.CANCELLED), "amount"
    )
    return money.quantize(settled - withdrawn, shop.currency)


@dataclass(frozen=True)
class Balance:
    """The finance page's figures, in the shop's currency."""

    currency: str
    available: Decimal
    settled_net: Decimal
    open_net: Decimal
    requested: Decimal
    paid_out: Decimal


def balance_of(shop) -> Balance:
    """The balance and what makes it up (finance.view may see it; moving it is the owner's)."""
    bills = Bill.objects.filter(shop=shop)
    withdrawals = Withdrawal.objects.filter(shop=shop)
    settled = bills.filter(status=BillStatus.SETTLED)
    opened = bills.filter(status=BillStatus.OPEN)
    q = money.quantize
    return Balance(
        currency=shop.currency,
        available=available_balance(shop),
        settled_net=q(_sum(settled, F("amount") - F("fees")), shop.currency),
        open_net=q(_sum(opened, F("amount") - F("fees")), shop.currency),
        requested=q(_sum(withdrawals.filter(status=WithdrawalStatus.REQUESTED), "amount"), shop.currency),
        paid_out=q(_sum(withdrawals.filter(status=WithdrawalStatus.PAID), "amount"), shop.currency),
    )


# The payout account (store.sensitive: callers check the grant).


def payout_account_history(shop):
    """Every payout account the shop registered, newest first; each shows only `.masked`."""
    return PayoutAccount.objects.filter(shop=shop).select_related("created_by")


def active_payout_account(shop) -> PayoutAccount | None:
    """The account withdrawals are paid to now, or None."""
    return PayoutAccount.objects.filter(shop=shop, status=PayoutAccountStatus.ACTIVE).first()


def pending_payout_account(shop) -> PayoutAccount | None:
    """A change waiting for support's review, or None."""
    return PayoutAccount.objects.filter(shop=shop, status=PayoutAccountStatus.PENDING_REVIEW).first()


def current_payout_account(shop) -> PayoutAccount | None:
    """The latest change the owner made that still counts: the one under review, else the active one."""
    return pending_payout_account(shop) or active_payout_account(shop)


@dataclass(frozen=True)
class Hold:
    """Why withdrawals wait, and until when (None: until support has reviewed the account)."""

    until: datetime | None
    reasons: list[str]

    @property
    def labels(self) -> list[str]:
        return [str(HoldReason(code).label) for code in self.reasons]


def payout_hold(shop, *, now: datetime | None = None) -> Hold | None:
    """The hold on withdrawals now: a change under review, or the active account's hold period."""
    now = now or timezone.now()
    pending = pending_payout_account(shop)
    if pending is not None:
        return Hold(until=None, reasons=[HoldReason.REVIEW, *pending.hold_reasons])
    active = active_payout_account(shop)
    if active is not None and active.hold_until > now:
        return Hold(until=active.hold_until, reasons=list(active.hold_reasons))
    return None


def withdrawals_for(membership):
    """The shop's withdrawals, newest first, with the account each goes to."""
    return Withdrawal.objects.filter(shop_id=membership.shop_id).select_related("payout_account")


# Marketing, affiliate and advertising.


def campaigns_for(membership, *, status: str | None = None):
    return _with_status(Campaign.objects.filter(shop_id=membership.shop_id), status)


def campaign_for(membership, pk) -> Campaign:
    return get_object_or_404(Campaign, shop_id=membership.shop_id, pk=pk)


def affiliate_plans_for(membership, *, status: str | None = None):
    """The shop's affiliate plans with how many creators were contacted and joined."""
    # Meta.ordering does not apply to aggregate queries, hence the explicit order_by.
    plans = (
        AffiliatePlan.objects.filter(shop_id=membership.shop_id)
        .annotate(
            creators_contacted=Count("creators"),
            creators_joined=Count("creators", filter=Q(creators__status=CreatorStatus.JOINED)),
        )
        .order_by("name", "id")
    )
    return _with_status(plans, status)


def affiliate_plan_for(membership, pk) -> AffiliatePlan:
    return get_object_or_404(affiliate_plans_for(membership), pk=pk)


def creators_of(plan: AffiliatePlan):
    return CreatorContact.objects.filter(plan=plan).select_related("contacted_by")


def ad_plans_for(membership, *, status: str | None = None):
    return _with_status(AdPlan.objects.filter(shop_id=membership.shop_id), status)


def ad_plan_for(membership, pk) -> AdPlan:
    return get_object_or_404(AdPlan, shop_id=membership.shop_id, pk=pk)


# Customer service.


def conversations_for(membership, *, status: str | None = None):
    """The shop's buyer conversations, most recently active first, with message counts."""
    # Meta.ordering does not apply to aggregate queries, hence the explicit order_by.
    conversations = (
        Conversation.objects.filter(shop_id=membership.shop_id)
        .annotate(message_count=Count("messages"), last_message_at=Max("messages__created"))
        .order_by(Coalesce("last_message_at", "updated").desc(), "-id")
    )
    return _with_status(conversations, status)


def conversation_for(membership, pk) -> Conversation:
    return get_object_or_404(Conversation, shop_id=membership.shop_id, pk=pk)


def messages_for(membership, conversation_id):
    """The messages of one of the shop's conversations, oldest first."""
    return Message.objects.filter(
        conversation_id=conversation_id, conversation__shop_id=membership.shop_id
    ).select_related("author")
