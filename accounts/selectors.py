"""Reads for people, shops and memberships, shared by pages, the API, the admin and the apps above."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, InvitationStatus, Membership, MembershipStatus, User
from audit.models import EventKind, SecurityEvent
from permissions.registry import ASSIGNABLE_ROLES, OWNER


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
    """Everyone in the shop, owner first, then by e-mail. MemberList reads it a page at a time."""
    return (
        Membership.objects.filter(shop=shop)
        .select_related("user")
        .annotate(
            owner_first=Case(
                When(user_id=shop.owner_id, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("owner_first", "user__email", "pk")
    )


def _with_details(memberships):
    """`has_two_step` (a confirmed authenticator app) and `last_sign_in` (the last completed sign-in,
    second step included; None if never) on each membership. Each last sign-in is one walk down the
    user's part of the log's (user, -created) index."""
    last_sign_in = (
        SecurityEvent.objects.filter(user_id=OuterRef("user_id"), kind=EventKind.LOGIN_SUCCESS)
        .order_by("-created")
        .values("created")[:1]
    )
    return memberships.annotate(
        has_two_step=Exists(_confirmed_app(OuterRef("user_id"))), last_sign_in=Subquery(last_sign_in)
    )


@dataclass(frozen=True)
class MemberRow:
    """A member as the team's lists show them: read as plain values, without model instances, since
    a page of them is most of the members page's time."""

    id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    roles: list[str]
    status: str
    created: datetime
    is_owner: bool
    has_two_step: bool
    last_sign_in: datetime | None

    @classmethod
    def of(cls, membership: Membership) -> "MemberRow":
        """The row of a membership that came from member_of()."""
        user = membership.user
        return cls(
            membership.pk,
            user.pk,
            user.email,
            user.first_name,
            user.last_name,
            membership.roles,
            membership.status,
            membership.created,
            membership.is_owner,
            membership.has_two_step,
            membership.last_sign_in,
        )

    @property
    def role_names(self) -> list[str]:
        """The roles to show, the implied owner role first (as Membership.role_names)."""
        names = [name for name in self.roles if name in ASSIGNABLE_ROLES]
        return [OWNER, *names] if self.is_owner else names

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


def _page_sql() -> str:
    """members_of()'s order, one slice of it, with has_two_step and last_sign_in.

    The slice's ids are taken first, so only its rows get the two per-row lookups: as columns of the
    whole ordered list, a database computes them for every member before it sorts. Written as SQL
    because the ORM spends longer building this query than the database spends running it, on the
    page owners open most. Only quoted table names from the models are formatted in; every value is
    a parameter.
    """
    quote = connection.ops.quote_name
    membership, user = quote(Membership._meta.db_table), quote(User._meta.db_table)
    device, event = quote(TOTPDevice._meta.db_table), quote(SecurityEvent._meta.db_table)
    return (
        "SELECT m.id, m.user_id, u.email, u.first_name, u.last_name, m.roles, m.status, m.created, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {device} d WHERE d.user_id = m.user_id AND d.confirmed = %s), "
        f"(SELECT e.created FROM {event} e WHERE e.user_id = m.user_id AND e.kind = %s "
        "ORDER BY e.created DESC LIMIT 1) "
        f"FROM {membership} m JOIN {user} u ON u.id = m.user_id "
        f"WHERE m.id IN (SELECT m2.id FROM {membership} m2 JOIN {user} u2 ON u2.id = m2.user_id "
        "WHERE m2.shop_id = %s ORDER BY CASE WHEN m2.user_id = %s THEN 0 ELSE 1 END, u2.email, m2.id "
        "LIMIT %s OFFSET %s) "
        "ORDER BY CASE WHEN m.user_id = %s THEN 0 ELSE 1 END, u.email, m.id"
    )


def _aware(value) -> datetime | None:
    """A datetime column as the database returns it (SQLite: text or a naive datetime in UTC;
    PostgreSQL: an aware datetime), made aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class MemberList:
    """The shop's members as Django's Paginator (and DRF's pagination) reads them: a count, and
    slices of MemberRow in members_of()'s order, one query per slice whatever the size of the team
    (see _page_sql)."""

    def __init__(self, shop):
        self.shop = shop

    def count(self) -> int:
        return Membership.objects.filter(shop=self.shop).count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.count() if index.stop is None or index.start < 0 else index.stop)
        owner, roles_field = self.shop.owner_id, Membership._meta.get_field("roles")
        params = [
            True,
            EventKind.LOGIN_SUCCESS.value,
            self.shop.pk,
            owner,
            max(0, stop - start),
            start,
            owner,
        ]
        with connection.cursor() as cursor:
            cursor.execute(_page_sql(), params)
            found = cursor.fetchall()
        return [
            MemberRow(
                pk,
                user_id,
                email,
                first,
                last,
                roles_field.from_db_value(roles, None, connection),
                status,
                _aware(created),
                user_id == owner,
                bool(app),
                _aware(last_in),
            )
            for pk, user_id, email, first, last, roles, status, created, app, last_in in found
        ]


def member_of(shop, member_id) -> Membership | None:
    """One member of the shop by membership id, as MemberList gives them; None for another shop's."""
    found = _with_details(members_of(shop).filter(pk=member_id)).first()
    if found is not None:
        found.shop = shop
    return found


def pending_invitations(shop):
    """The shop's pending invitations, newest first, expired ones included (they can be resent)."""
    return (
        Invitation.objects.filter(shop=shop, status=InvitationStatus.PENDING)
        .select_related("invited_by")
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
