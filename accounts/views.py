"""Pages of a person's shops: the shop chooser and each shop's dashboard (User Management is team's)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import selectors
from accounts.access import shop_view


@login_required
def shop_list(request):
    memberships = list(selectors.memberships_of(request.user))
    return render(request, "accounts/shops.html", {"memberships": memberships})


@login_required
@shop_view()
def shop_dashboard(request, slug):
    return render(request, "accounts/dashboard.html")
