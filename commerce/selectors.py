"""Reads of module data, each already scoped to the member's shop.

These are the only queries on tenant data: pages and the API call them with the caller's membership,
so another shop's rows are simply not there.
"""

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from commerce.models import (
    AdPlan,
    AffiliatePlan,
    Bill,
    Campaign,
    Conversation,
    Message,
    Order,
    PayoutAccount,
    Product,
)


def _with_status(queryset, status: str | None):
    return queryset.filter(status=status) if status else queryset


def products_for(membership, *, status: str | None = None, search: str = ""):
    """The shop's products, optionally by status and by a name or SKU fragment."""
    products = _with_status(Product.objects.filter(shop_id=membership.shop_id), status)
    search = search.strip()
    if search:
        products = products.filter(Q(name__icontains=search) | Q(sku__icontains=search))
    return products


def orders_for(membership, *, status: str | None = None):
    """The shop's orders, newest first."""
    return _with_status(Order.objects.filter(shop_id=membership.shop_id), status)


def bills_for(membership, *, status: str | None = None):
    """The shop's bills, latest period first."""
    return _with_status(Bill.objects.filter(shop_id=membership.shop_id), status)


def payout_account_for(membership) -> PayoutAccount | None:
    """The shop's payout account, or None before one is set up. Callers check store.sensitive."""
    return PayoutAccount.objects.filter(shop_id=membership.shop_id).first()


def campaigns_for(membership, *, status: str | None = None):
    return _with_status(Campaign.objects.filter(shop_id=membership.shop_id), status)


def affiliate_plans_for(membership, *, status: str | None = None):
    return _with_status(AffiliatePlan.objects.filter(shop_id=membership.shop_id), status)


def ad_plans_for(membership, *, status: str | None = None):
    return _with_status(AdPlan.objects.filter(shop_id=membership.shop_id), status)


def conversations_for(membership, *, status: str | None = None):
    """The shop's buyer conversations, most recently active first, with message counts."""
    # Meta.ordering does not apply to aggregate queries, hence the explicit order_by.
    conversations = (
        Conversation.objects.filter(shop_id=membership.shop_id)
        .annotate(message_count=Count("messages"), last_message_at=Max("messages__created"))
        .order_by(Coalesce("last_message_at", "updated").desc(), "-id")
    )
    return _with_status(conversations, status)


def messages_for(membership, conversation_id):
    """The messages of one of the shop's conversations, oldest first."""
    return Message.objects.filter(
        conversation_id=conversation_id, conversation__shop_id=membership.shop_id
    ).select_related("author")
