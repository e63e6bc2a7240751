"""Each module's list page: the shop's rows, 25 a page, with a status filter where it makes sense."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import membership_or_404, require_grant
from commerce import selectors
from commerce.models import (
    BillStatus,
    CampaignStatus,
    ConversationStatus,
    OrderStatus,
    PlanStatus,
    ProductStatus,
)
from permissions.registry import MODULES_BY_SLUG, Grant

PAGE_SIZE = 25


@dataclass(frozen=True)
class ModuleList:
    """What a module's page lists: a selector scoped to the shop and the statuses to filter by."""

    rows: Callable
    statuses: type[models.TextChoices]
    searchable: bool = False


# Keyed by the registry's module slugs; a test checks that every module has its list.
MODULE_LISTS: dict[str, ModuleList] = {
    "products": ModuleList(selectors.products_for, ProductStatus, searchable=True),
    "orders": ModuleList(selectors.orders_for, OrderStatus),
    "finance": ModuleList(selectors.bills_for, BillStatus),
    "marketing": ModuleList(selectors.campaigns_for, CampaignStatus),
    "affiliate": ModuleList(selectors.affiliate_plans_for, PlanStatus),
    "advertising": ModuleList(selectors.ad_plans_for, PlanStatus),
    "customer-service": ModuleList(selectors.conversations_for, ConversationStatus),
}


@login_required
def module_page(request, slug, module):
    membership = membership_or_404(request, slug)
    if module not in MODULES_BY_SLUG or module not in MODULE_LISTS:
        raise Http404(_("No such page."))
    require_grant(membership, MODULES_BY_SLUG[module].view_grant)
    listing = MODULE_LISTS[module]

    # An unknown status or page number is not an error worth a 4xx page: it shows everything, page 1.
    status = request.GET.get("status", "")
    if status not in listing.statuses.values:
        status = ""
    filters = {"status": status or None}
    # PostgreSQL refuses NUL in a string literal; nobody searches for one.
    search = request.GET.get("q", "").replace("\x00", "")[:100] if listing.searchable else ""
    if listing.searchable:
        filters["search"] = search
    page = Paginator(listing.rows(membership, **filters), PAGE_SIZE).get_page(request.GET.get("page"))

    context = {
        "module": MODULES_BY_SLUG[module],
        "page_obj": page,
        "rows": page.object_list,
        "statuses": listing.statuses.choices,
        "status": status,
        "search": search,
        "searchable": listing.searchable,
        "filtered": bool(status or search),
    }
    if module == "finance":
        shop = membership.shop
        context["balance"] = selectors.balance_of(shop)
        context["hold"] = selectors.payout_hold(shop)
        if membership.has(Grant.STORE_SENSITIVE):
            context["payout_account"] = selectors.current_payout_account(shop)
    return render(request, f"commerce/{module}.html", context)
