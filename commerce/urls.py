from django.urls import path

from commerce.views import catalogue, customer_service, finance, lists, marketing, orders

app_name = "commerce"

SHOP = "shop/<slug:slug>/"

urlpatterns = [
    # Products.
    path(f"{SHOP}products/new/", catalogue.product_create, name="product-create"),
    path(f"{SHOP}products/<int:pk>/edit/", catalogue.product_edit, name="product-edit"),
    path(f"{SHOP}products/<int:pk>/activate/", catalogue.product_activate, name="product-activate"),
    path(f"{SHOP}products/<int:pk>/delist/", catalogue.product_delist, name="product-delist"),
    # Orders.
    path(f"{SHOP}orders/<int:pk>/", orders.order_detail, name="order"),
    path(f"{SHOP}orders/<int:pk>/ship/", orders.order_ship, name="order-ship"),
    path(f"{SHOP}orders/<int:pk>/cancel/", orders.order_cancel, name="order-cancel"),
    path(f"{SHOP}orders/<int:pk>/refund/", orders.order_refund, name="order-refund"),
    # Finance and the money path.
    path(f"{SHOP}finance/bills/<int:pk>/", finance.bill_detail, name="bill"),
    path(f"{SHOP}finance/bills/export.csv", finance.bills_export, name="bills-export"),
    path(f"{SHOP}finance/payout-account/", finance.payout_account, name="payout-account"),
    path(
        f"{SHOP}finance/payout-account/change/", finance.payout_account_change, name="payout-account-change"
    ),
    path(
        f"{SHOP}finance/payout-account/confirm/",
        finance.payout_account_confirm,
        name="payout-account-confirm",
    ),
    path(f"{SHOP}finance/withdrawals/", finance.withdrawals_page, name="withdrawals"),
    # Marketing, affiliate, advertising.
    path(f"{SHOP}marketing/new/", marketing.campaign_create, name="campaign-create"),
    path(f"{SHOP}marketing/<int:pk>/edit/", marketing.campaign_edit, name="campaign-edit"),
    path(f"{SHOP}marketing/<int:pk>/end/", marketing.campaign_end, name="campaign-end"),
    path(f"{SHOP}affiliate/new/", marketing.affiliate_create, name="affiliate-create"),
    path(f"{SHOP}affiliate/<int:pk>/", marketing.affiliate_plan, name="affiliate-plan"),
    path(f"{SHOP}affiliate/<int:pk>/edit/", marketing.affiliate_edit, name="affiliate-edit"),
    path(f"{SHOP}affiliate/<int:pk>/contact/", marketing.affiliate_contact, name="affiliate-contact"),
    path(f"{SHOP}advertising/new/", marketing.ad_plan_create, name="ad-plan-create"),
    path(f"{SHOP}advertising/<int:pk>/edit/", marketing.ad_plan_edit, name="ad-plan-edit"),
    *[
        path(f"{SHOP}{area}/<int:pk>/{move}/", marketing.plan_move(area, move), name=f"{area}-{move}")
        for area in marketing.PLAN_AREAS
        for move in marketing.PLAN_MOVES
    ],
    # Customer service.
    path(f"{SHOP}customer-service/new/", customer_service.conversation_open, name="conversation-open"),
    path(f"{SHOP}customer-service/<int:pk>/", customer_service.conversation, name="conversation"),
    path(
        f"{SHOP}customer-service/<int:pk>/reply/",
        customer_service.conversation_reply,
        name="conversation-reply",
    ),
    path(
        f"{SHOP}customer-service/<int:pk>/close/",
        customer_service.conversation_close,
        name="conversation-close",
    ),
    path(
        f"{SHOP}customer-service/<int:pk>/reopen/",
        customer_service.conversation_reopen,
        name="conversation-reopen",
    ),
    # Each module's list.
    path(f"{SHOP}<str:module>/", lists.module_page, name="module"),
]
