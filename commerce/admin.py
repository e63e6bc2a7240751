"""Module data in the admin: for looking things up when a seller asks, not for changing them.

Changes to products, orders, money and payout details belong to the shop's members, through the
product's own pages and API where grants, codes and the security log apply. The one exception is
support's review of a payout account flagged because another shop registered the same number: an
action with a reason, a permission of its own and a security event. Payout account numbers are shown
masked, and neither filters nor search (nor URL lookups) reach them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin import ReadOnlyAdminMixin
from audit.events import RequestContext
from commerce.errors import CommerceError
from commerce.models import (
    AdPlan,
    AffiliatePlan,
    Bill,
    Campaign,
    Conversation,
    CreatorContact,
    Message,
    Order,
    PayoutAccount,
    PayoutAccountStatus,
    Product,
    Refund,
    Withdrawal,
)
from commerce.services.payouts import review_payout_account


class ReadOnlyModuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_filter = ["shop"]
    list_select_related = ["shop"]
    search_fields = ["shop__name", "shop__slug"]


@admin.register(Product)
class ProductAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "sku", "shop", "price", "stock", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "sku", "shop__name"]


class RefundInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Refund
    fields = ["created", "amount", "reason", "note", "created_by"]
    readonly_fields = fields
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnlyModuleAdmin):
    list_display = ["number", "shop", "buyer_name", "total", "refunded_total", "status", "created"]
    list_filter = ["shop", "status"]
    search_fields = ["number", "buyer_name", "shop__name"]
    date_hierarchy = "created"
    inlines = [RefundInline]


@admin.register(Bill)
class BillAdmin(ReadOnlyModuleAdmin):
    list_display = ["period", "shop", "amount", "fees", "status"]
    list_filter = ["shop", "status"]


class ReviewForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The shop owner is e-mailed this reason."),
    )


# Number-derived columns: never shown, filtered, searched or looked up through the URL.
SECRET_FIELDS = {"sealed_number", "last4", "fingerprint"}


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnlyModuleAdmin):
    list_display = ["shop", "bank_name", "masked", "status", "created", "hold_until"]
    list_filter = ["status"]
    search_fields = ["shop__name", "shop__slug", "bank_name"]
    fields = [
        "shop",
        "holder_name",
        "bank_name",
        "masked",
        "status",
        "created",
        "created_by",
        "hold_until",
        "hold_reason_labels",
        "activated_at",
        "ended_at",
        "status_reason",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = fields
    actions = ["approve_accounts", "reject_accounts"]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] in SECRET_FIELDS:
            raise DisallowedModelAdminLookup(f"Filtering on {lookup} is not allowed.")
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=gettext_lazy("account number"))
    def masked(self, account):
        return account.masked

    @admin.display(description=gettext_lazy("hold reasons"))
    def hold_reason_labels(self, account):
        return "; ".join(account.hold_reason_labels()) or "—"

    def has_review_permission(self, request):
        return request.user.has_perm("commerce.review_payoutaccount")

    @admin.action(
        description=gettext_lazy("Approve the selected payout accounts (waiting for review)"),
        permissions=["review"],
    )
    def approve_accounts(self, request, queryset):
        return self._review(request, queryset, approve=True)

    @admin.action(
        description=gettext_lazy("Reject the selected payout accounts (waiting for review)"),
        permissions=["review"],
    )
    def reject_accounts(self, request, queryset):
        return self._review(request, queryset, approve=False)

    def _review(self, request, queryset, *, approve: bool):
        """First the reason form (an intermediate page), then each account through the service."""
        pending = list(queryset.filter(status=PayoutAccountStatus.PENDING_REVIEW).select_related("shop"))
        if not pending:
            self.message_user(
                request, _("None of the selected accounts is waiting for review."), messages.WARNING
            )
            return None
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            context = RequestContext.from_request(request)
            done = 0
            for account in pending:
                try:
                    review_payout_account(
                        account,
                        by=request.user,
                        approve=approve,
                        reason=form.cleaned_data["reason"],
                        context=context,
                    )
                    done += 1
                except (CommerceError, ValidationError) as error:
                    self.message_user(
                        request, f"{account}: {getattr(error, 'message', error)}", messages.ERROR
                    )
            if approve:
                done_message = ngettext(
                    "%(count)d payout account approved; the owners were e-mailed.",
                    "%(count)d payout accounts approved; the owners were e-mailed.",
                    done,
                )
            else:
                done_message = ngettext(
                    "%(count)d payout account rejected; the owners were e-mailed.",
                    "%(count)d payout accounts rejected; the owners were e-mailed.",
                    done,
                )
            self.message_user(request, done_message % {"count": done})
            return None
        return TemplateResponse(
            request,
            "admin/commerce/payoutaccount/review.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Approve payout accounts") if approve else _("Reject payout accounts"),
                "accounts": pending,
                "form": form,
                "approve": approve,
                "action": "approve_accounts" if approve else "reject_accounts",
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyModuleAdmin):
    list_display = ["shop", "amount", "currency", "status", "created", "paid_at", "payout_reference"]
    list_filter = ["status"]
    fields = [
        "shop",
        "amount",
        "currency",
        "status",
        "account",
        "requested_by",
        "created",
        "paid_at",
        "payout_reference",
        "cancelled_at",
        "cancel_reason",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("payout account"))
    def account(self, withdrawal):
        return withdrawal.payout_account.summary


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "shop", "discount_percent", "starts_on", "ends_on", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "shop__name"]


class CreatorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CreatorContact
    fields = ["handle", "channel", "status", "created"]
    readonly_fields = fields
    extra = 0


@admin.register(AffiliatePlan)
class AffiliatePlanAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "shop", "commission_percent", "orders", "sales", "status"]
    list_filter = ["shop", "status"]
    search_fields = ["name", "shop__name"]
    inlines = [CreatorInline]


@admin.register(AdPlan)
class AdPlanAdmin(ReadOnlyModuleAdmin):
    list_display = ["name", "shop", "daily_budget", "impressions", "clicks", "spend", "status"]
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
