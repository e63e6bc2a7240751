"""Each module's data: small, real tables that always belong to exactly one shop (the tenant).

Pages and the API reach these rows only through commerce.selectors, which filter by the caller's shop;
they change only through commerce.services. Money is Decimal throughout, in the shop's currency, and
the database itself refuses negative amounts. State changes are the models' transitions (django-fsm).
"""

from commerce.models.catalogue import Product, ProductStatus
from commerce.models.finance import (
    Bill,
    BillStatus,
    HoldReason,
    PayoutAccount,
    PayoutAccountStatus,
    Withdrawal,
    WithdrawalStatus,
)
from commerce.models.marketing import (
    AdPlan,
    AffiliatePlan,
    Campaign,
    CampaignStatus,
    CreatorContact,
    CreatorStatus,
    PlanStatus,
)
from commerce.models.messages import Conversation, ConversationStatus, Message, MessageSender
from commerce.models.orders import Carrier, Order, OrderStatus, Refund, RefundReason

__all__ = [
    "AdPlan",
    "AffiliatePlan",
    "Bill",
    "BillStatus",
    "Campaign",
    "CampaignStatus",
    "Carrier",
    "Conversation",
    "ConversationStatus",
    "CreatorContact",
    "CreatorStatus",
    "HoldReason",
    "Message",
    "MessageSender",
    "Order",
    "OrderStatus",
    "PayoutAccount",
    "PayoutAccountStatus",
    "PlanStatus",
    "Product",
    "ProductStatus",
    "Refund",
    "RefundReason",
    "Withdrawal",
    "WithdrawalStatus",
]
