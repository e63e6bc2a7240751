"""Writes for people, shops and memberships. Each one validates, writes and records its security
event in one transaction; pages, the API, commands and the apps above call these, never the ORM."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import Membership, MembershipStatus, Shop
from accounts.validators import clean_anti_phishing_phrase, validate_date_of_birth, validate_time_zone
from audit.events import EventKind, RequestContext, record_event
from permissions.registry import ASSIGNABLE_ROLES

OWNER_NOT_REMOVABLE = "The shop owner cannot be removed from their shop."
OWNER_PROTECTED = "The shop owner's roles and status cannot be changed: the owner holds every grant."


def _actor(by) -> str:
    """Who made a change, as the log shows it: a person's e-mail, or "system" for commands."""
    return getattr(by, "email", None) or "system"


def clean_roles(roles) -> list[str]:
    """Validated, de-duplicated role names in registry order; ValueError names the unknown ones."""
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        raise ValueError("Roles must be a list of role names.")
    unknown = sorted(set(roles) - set(ASSIGNABLE_ROLES))
    if unknown:
        raise ValueError(f"Unknown role: {', '.join(unknown)}.")
    return [name for name in ASSIGNABLE_ROLES if name in roles]


@transaction.atomic
def create_shop(*, owner, name: str, slug: str, context: RequestContext | None = None) -> Shop:
    """A shop and its owner's membership, together; the owner's powers come from Shop.owner."""
    shop = Shop.objects.create(owner=owner, name=name, slug=slug)
    Membership.objects.create(user=owner, shop=shop, roles=[])
    record_event(owner, EventKind.SHOP_CREATED, shop=shop, context=context, name=name, slug=slug)
    return shop


@transaction.atomic
def add_member(
    *, shop: Shop, user, roles, by=None, context: RequestContext | None = None, via: str = "product"
) -> Membership:
    """Put a person in a shop with these roles (ValueError for unknown roles), and log it."""
    membership = Membership.objects.create(shop=shop, user=user, roles=clean_roles(roles))
    record_event(
        user,
        EventKind.MEMBER_ADDED,
        shop=shop,
        context=context,
        by=_actor(by),
        via=via,
        roles=membership.roles,
    )
    return membership


@transaction.atomic
def change_member(
    membership: Membership,
    *,
    roles=None,
    status: str | None = None,
    by=None,
    context: RequestContext | None = None,
    via: str = "product",
) -> bool:
    """Change a member's roles and/or status; False when nothing changed.

    Raises PermissionDenied for the owner's membership and ValueError for unknown roles or status.
    """
    if membership.is_owner:
        raise PermissionDenied(OWNER_PROTECTED)
    changed = []
    if roles is not None:
        roles = clean_roles(roles)
        if roles != membership.roles:
            membership.roles = roles
            changed.append("roles")
    if status is not None:
        if status not in MembershipStatus.values:
            raise ValueError(f"Unknown status: {status}.")
        if status != membership.status:
            membership.status = status
            changed.append("status")
    if not changed:
        return False
    membership.save(update_fields=changed)
    # Grants are cached on the instance: a changed membership answers with its new ones.
    membership.__dict__.pop("grants", None)
    suspended = "status" in changed and membership.status == MembershipStatus.SUSPENDED
    record_event(
        membership.user,
        EventKind.MEMBER_SUSPENDED if suspended else EventKind.MEMBER_CHANGED,
        shop=membership.shop,
        context=context,
        by=_actor(by),
        via=via,
        roles=membership.roles,
        status=membership.status,
    )
    return True


@transaction.atomic
def remove_member(
    membership: Membership, *, by=None, context: RequestContext | None = None, via: str = "product"
) -> None:
    """Take a member out of their shop and log it; the owner cannot be removed (SPEC §5)."""
    if membership.is_owner:
        raise PermissionDenied(OWNER_NOT_REMOVABLE)
    record_event(
        membership.user,
        EventKind.MEMBER_REMOVED,
        shop=membership.shop,
        context=context,
        by=_actor(by),
        via=via,
    )
    membership.delete()


@transaction.atomic
def set_shop_two_step_requirement(shop: Shop, *, by, required: bool, context: RequestContext) -> bool:
    """Require (or stop requiring) two-step verification of every member; False when unchanged."""
    if shop.require_two_step == required:
        return False
    shop.require_two_step = required
    shop.save(update_fields=["require_two_step"])
    kind = EventKind.SHOP_TWO_STEP_REQUIRED if required else EventKind.SHOP_TWO_STEP_OPTIONAL
    record_event(by, kind, shop=shop, context=context)
    return True


PROFILE_FIELDS = ("first_name", "last_name", "date_of_birth", "time_zone")


@transaction.atomic
def update_profile(user, *, context: RequestContext, **changes) -> list[str]:
    """Change some of the person's names, birth date (a date or None) and time zone (an IANA name).

    Names are trimmed. Raises ValidationError for a birth date outside 1900..today or an unknown
    time zone, and TypeError for any other field (the e-mail address has its own, guarded flow).
    Records one PROFILE_CHANGED event naming the fields that changed (not their values: the log is
    shown to shop owners and support); returns those fields, empty when nothing changed.
    """
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"update_profile() cannot change {', '.join(sorted(unknown))}.")
    for name in ("first_name", "last_name"):
        if name in changes:
            changes[name] = " ".join((changes[name] or "").split())
    if "date_of_birth" in changes:
        validate_date_of_birth(changes["date_of_birth"])
    if "time_zone" in changes:
        validate_time_zone(changes["time_zone"])
    changed = [name for name in PROFILE_FIELDS if name in changes and changes[name] != getattr(user, name)]
    if not changed:
        return []
    for name in changed:
        setattr(user, name, changes[name])
    user.save(update_fields=changed)
    record_event(user, EventKind.PROFILE_CHANGED, context=context, fields=changed)
    return changed


@transaction.atomic
def set_anti_phishing_phrase(user, phrase: str, *, context: RequestContext) -> bool:
    """Set (or clear, with "") the phrase our e-mails show; False when it did not change.

    Spaces are folded; ValidationError for a phrase that is too long or cannot be printed.
    """
    phrase = clean_anti_phishing_phrase(phrase)
    if phrase == user.anti_phishing_phrase:
        return False
    user.anti_phishing_phrase = phrase
    user.save(update_fields=["anti_phishing_phrase"])
    record_event(user, EventKind.ANTI_PHISHING_PHRASE_CHANGED, context=context, set=bool(phrase))
    return True
