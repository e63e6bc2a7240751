"""Reads for people, shops and memberships, shared by pages, the API, the admin and the apps above."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, MembershipStatus


def _confirmed_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def two_step_enabled(user) -> bool:
    """Two-step verification is on once an authenticator app has been confirmed (SPEC §6).

    `user` may be a user or a user's id.
    """
    return _confirmed_app(user).exists()


def active_membership(user, shop_slug: str) -> Membership | None:
    """The user's active membership of the shop with this slug, with its shop, in one query."""
    if not user.is_authenticated:
        return None
    # One row at most (one membership per user and shop): no ordering, so no join to sort by.
    try:
        return Membership.objects.select_related("shop").get(
            user=user, shop__slug=shop_slug, status=MembershipStatus.ACTIVE
        )
    except Membership.DoesNotExist:
        return None


def memberships_of(user):
    """The user's active memberships, shops in name order."""
    return (
        Membership.objects.select_related("shop")
        .filter(user=user, status=MembershipStatus.ACTIVE)
        .order_by("shop__name")
    )


def shops_requiring_two_step(user) -> list[str]:
    """Names of the user's shops that require two-step verification of every member."""
    return list(memberships_of(user).filter(shop__require_two_step=True).values_list("shop__name", flat=True))


def members_of(shop):
    """Everyone in the shop, owner first, each with `has_two_step` (a confirmed authenticator app).

    One query whatever the number of members: the 2SV check is a subquery, not a call per row.
    """
    return (
        Membership.objects.filter(shop=shop)
        .select_related("user", "shop")
        .annotate(
            has_two_step=Exists(_confirmed_app(OuterRef("user_id"))),
            owner_first=Case(
                When(user_id=shop.owner_id, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("owner_first", "user__email")
    )
