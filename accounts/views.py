"""Pages of a person's shops: the shop chooser, each shop's dashboard and its members."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import selectors
from accounts.access import shop_view
from permissions.registry import ROLES, Grant


@login_required
def shop_list(request):
    memberships = list(selectors.memberships_of(request.user))
    return render(request, "accounts/shops.html", {"memberships": memberships})


@login_required
@shop_view()
def shop_dashboard(request, slug):
    return render(request, "accounts/dashboard.html")


@login_required
@shop_view(Grant.USERS_MANAGE)
def shop_members(request, slug):
    """User Management: who is in the shop, with which roles, and what each role can do."""
    members = list(selectors.members_of(request.membership.shop))
    roles = [(role, [grant for grant in Grant if grant in role.grants]) for role in ROLES.values()]
    return render(request, "accounts/members.html", {"members": members, "roles": roles})
