"""Reads for people, shops and memberships, shared by pages, the API, the admin and the apps above."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, InvitationStatus, Membership, MembershipStatus, User
from audit.models import EventKind, SecurityEvent


def _confirmed_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def two_step_enabled(user) -> bool:
    """Two-step verification is on once an authenticator app has been confirmed (SPEC §6).

    `user` may be a user or a user's id.
    """
    return _confirmed_app(user).exists()


def user_exists(email: str) -> bool:
    """Whether an account uses this address (any case)."""
    return User.objects.filter(email__iexact=email.strip()).exists()


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
    """Everyone in the shop, owner first, each with `has_two_step` (a confirmed authenticator app)
    and `last_sign_in` (the last completed sign-in, second step included; None if never).

    One query whatever the number of members: both are subqueries, not a call per row.
    """
    last_sign_in = (
        SecurityEvent.objects.filter(user_id=OuterRef("user_id"), kind=EventKind.LOGIN_SUCCESS)
        .order_by("-created")
        .values("created")[:1]
    )
    return (
        Membership.objects.filter(shop=shop)
        .select_related("user", "shop")
        .annotate(
            has_two_step=Exists(_confirmed_app(OuterRef("user_id"))),
            last_sign_in=Subquery(last_sign_in),
            owner_first=Case(
                When(user_id=shop.owner_id, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("owner_first", "user__email", "pk")
    )


def member_of(shop, member_id) -> Membership | None:
    """One member of the shop by membership id, annotated as members_of(); None for another shop's."""
    return members_of(shop).filter(pk=member_id).first()


def pending_invitations(shop):
    """The shop's pending invitations, newest first, expired ones included (they can be resent)."""
    return (
        Invitation.objects.filter(shop=shop, status=InvitationStatus.PENDING)
        .select_related("invited_by", "shop")
        .order_by("-created", "-id")
    )


def invitation_of(shop, invitation_id) -> Invitation | None:
    """One of the shop's invitations by id; None for another shop's."""
    return Invitation.objects.select_related("shop", "invited_by").filter(shop=shop, pk=invitation_id).first()


def reaches_beyond(membership) -> bool:
    """Whether the member's account matters outside this shop: staff, or a member (or owner) of
    another shop. Then one shop's owner alone may not weaken it."""
    user = membership.user
    return (
        user.is_staff
        or Membership.objects.filter(user_id=user.pk).exclude(shop_id=membership.shop_id).exists()
    )
