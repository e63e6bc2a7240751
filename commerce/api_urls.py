"""The modules' API under /api/v1/shops/<slug>/ (SPEC §10)."""

from django.urls import path

from commerce.api import catalogue, customer_service, finance, marketing, orders

SHOP = "shops/<slug:slug>/"

urlpatterns = [
    # Products.
    path(f"{SHOP}products", catalogue.ProductList.as_view(), name="products"),
    path(f"{SHOP}products/<int:pk>", catalogue.ProductDetail.as_view(), name="product"),
    path(f"{SHOP}products/<int:pk>/activate", catalogue.ProductActivate.as_view(), name="product-activate"),
    path(f"{SHOP}products/<int:pk>/delist", catalogue.ProductDelist.as_view(), name="product-delist"),
    # Orders.
    path(f"{SHOP}orders", orders.OrderList.as_view(), name="orders"),
    path(f"{SHOP}orders/<int:pk>", orders.OrderDetail.as_view(), name="order"),
    path(f"{SHOP}orders/<int:pk>/ship", orders.OrderShip.as_view(), name="order-ship"),
    path(f"{SHOP}orders/<int:pk>/cancel", orders.OrderCancel.as_view(), name="order-cancel"),
    path(f"{SHOP}orders/<int:pk>/refund", orders.OrderRefund.as_view(), name="order-refund"),
    # Finance and the money path.
    path(f"{SHOP}finance/bills", finance.BillList.as_view(), name="bills"),
    path(f"{SHOP}finance/bills/export", finance.BillExport.as_view(), name="bills-export"),
    path(f"{SHOP}finance/bills/<int:pk>", finance.BillDetail.as_view(), name="bill"),
    path(f"{SHOP}finance/balance", finance.BalanceView.as_view(), name="balance"),
    path(f"{SHOP}finance/payout-account", finance.PayoutAccountView.as_view(), name="payout-account"),
    path(
        f"{SHOP}finance/payout-account/history",
        finance.PayoutAccountHistory.as_view(),
        name="payout-account-history",
    ),
    path(f"{SHOP}finance/withdrawals", finance.WithdrawalList.as_view(), name="withdrawals"),
    # Marketing, affiliate, advertising.
    path(f"{SHOP}marketing/campaigns", marketing.CampaignList.as_view(), name="campaigns"),
    path(f"{SHOP}marketing/campaigns/<int:pk>", marketing.CampaignDetail.as_view(), name="campaign"),
    path(f"{SHOP}marketing/campaigns/<int:pk>/end", marketing.CampaignEnd.as_view(), name="campaign-end"),
    path(f"{SHOP}affiliate/plans", marketing.AffiliatePlanList.as_view(), name="affiliate-plans"),
    path(f"{SHOP}affiliate/plans/<int:pk>", marketing.AffiliatePlanDetail.as_view(), name="affiliate-plan"),
    path(
        f"{SHOP}affiliate/plans/<int:pk>/creators", marketing.CreatorList.as_view(), name="affiliate-creators"
    ),
    path(
        f"{SHOP}affiliate/plans/<int:pk>/pause",
        marketing.AffiliatePlanPause.as_view(),
        name="affiliate-pause",
    ),
    path(
        f"{SHOP}affiliate/plans/<int:pk>/resume",
        marketing.AffiliatePlanResume.as_view(),
        name="affiliate-resume",
    ),
    path(f"{SHOP}affiliate/plans/<int:pk>/end", marketing.AffiliatePlanEnd.as_view(), name="affiliate-end"),
    path(f"{SHOP}advertising/plans", marketing.AdPlanList.as_view(), name="ad-plans"),
    path(f"{SHOP}advertising/plans/<int:pk>", marketing.AdPlanDetail.as_view(), name="ad-plan"),
    path(f"{SHOP}advertising/plans/<int:pk>/pause", marketing.AdPlanPause.as_view(), name="ad-pause"),
    path(f"{SHOP}advertising/plans/<int:pk>/resume", marketing.AdPlanResume.as_view(), name="ad-resume"),
    path(f"{SHOP}advertising/plans/<int:pk>/end", marketing.AdPlanEnd.as_view(), name="ad-end"),
    # Customer service.
    path(
        f"{SHOP}customer-service/conversations",
        customer_service.ConversationList.as_view(),
        name="conversations",
    ),
    path(
        f"{SHOP}customer-service/conversations/<int:pk>",
        customer_service.ConversationDetail.as_view(),
        name="conversation",
    ),
    path(
        f"{SHOP}customer-service/conversations/<int:pk>/messages",
        customer_service.MessageList.as_view(),
        name="conversation-messages",
    ),
    path(
        f"{SHOP}customer-service/conversations/<int:pk>/close",
        customer_service.ConversationClose.as_view(),
        name="conversation-close",
    ),
    path(
        f"{SHOP}customer-service/conversations/<int:pk>/reopen",
        customer_service.ConversationReopen.as_view(),
        name="conversation-reopen",
    ),
]
