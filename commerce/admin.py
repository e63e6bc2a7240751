"""Module data in the admin: for looking things up when a seller asks, not for changing them.

Changes to products, orders, money and payout details belong to the shop's members, through the
product's own pages and API where grants, step-up checks and the security log apply.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin
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


class ReadOnlyModuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_filter = ["shop"]
    list_select_related = ["shop"]
    search_fields = ["shop__name", "shop__slug"]


@admin.register(Product)
class ProductAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "sku", "shop", "price", "stock", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "sku", "shop__name"]


@admin.register(Order)
class OrderAdmin(ReadOnlyModuleAdmin):
    list_display = ["number", "shop", "buyer_name", "total", "status", "created"]
    list_filter = ["shop", "status"]
    search_fields = ["number", "buyer_name", "shop__name"]
    date_hierarchy = "created"


@admin.register(Bill)
class BillAdmin(ReadOnlyModuleAdmin):
    list_display = ["period", "shop", "amount", "fees", "status"]
    list_filter = ["shop", "status"]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyModuleAdmin):
    list_display = ["shop", "holder_name", "bank_name", "masked", "created"]
    # The full account number stays out of the admin: staff confirm a payout account by its last digits.
    fields = ["shop", "holder_name", "bank_name", "masked", "created"]
    readonly_fields = fields


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "shop", "discount_percent", "starts_on", "ends_on", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "shop__name"]


@admin.register(AffiliatePlan)
class AffiliatePlanAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "shop", "commission_percent", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "shop__name"]


@admin.register(AdPlan)
class AdPlanAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "shop", "daily_budget", "impressions", "clicks", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "shop__name"]


class MessageInline(admin.TabularInline):
    model = Message
    fields = ["created", "sender", "author", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyModuleAdmin):
    list_display = ["subject", "buyer_name", "shop", "status", "updated"]
    list_filter = ["shop", "status"]
    search_fields = ["subject", "buyer_name", "shop__name"]
    inlines = [MessageInline]
