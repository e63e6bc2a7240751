"""Reads for accounts and shops, shared by pages, the API and the admin."""

from accounts.models import Membership, MembershipStatus


def active_membership(user, shop_slug: str) -> Membership | None:
    """The user's active membership of the shop with this slug, with its shop, in one query."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("shop")
        .filter(user=user, shop__slug=shop_slug, status=MembershipStatus.ACTIVE)
        .first()
    )


def memberships_of(user):
    """The user's active memberships, shops in name order."""
    return (
        Membership.objects.select_related("shop")
        .filter(user=user, status=MembershipStatus.ACTIVE)
        .order_by("shop__name")
    )
