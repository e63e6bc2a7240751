"""Writes for people, shops and memberships. Each one validates, writes and records its security
event in one transaction, and e-mails the people concerned once it commits; pages, the API, the admin,
commands and the apps above call these, never the ORM.

A change made in the product names the acting member (`acting`): the registry must allow them the
action, nobody acts on their own membership, and nobody gives a grant they lack (SPEC §5). Staff and
commands pass `by` alone; their own checks apply where they act.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.acting import check_acting, check_may_give, validate_roles
from accounts.errors import (
    OwnerCannotLeave,
    OwnerProtected,
    OwnMembership,
    RateLimited,
    TwoStepAlreadyOn,
)
from accounts.models import Membership, MembershipStatus, Shop, User
from accounts.selectors import two_step_enabled
from accounts.validators import clean_anti_phishing_phrase, validate_date_of_birth, validate_time_zone
from audit.events import EventKind, RequestContext, record_event
from notifications.email import send_email
from permissions.registry import ROLES

OWNER_NOT_REMOVABLE = gettext_lazy("The shop owner cannot be removed from their shop.")
OWNER_PROTECTED = gettext_lazy(
    "The shop owner's roles and status cannot be changed: the owner holds every grant."
)
OWN_MEMBERSHIP = gettext_lazy(
    "You cannot change your own roles or status, nor remove yourself: ask the shop owner."
)


def actor_label(by) -> str:
    """Who made a change, as the log shows it: a person's e-mail, or "system" for commands."""
    return getattr(by, "email", None) or "system"


def role_labels(roles) -> list[str]:
    """The roles' names as people read them ("Finance specialist")."""
    return [str(ROLES[name].label) for name in roles if name in ROLES]


def spend_allowance(throttle) -> None:
    """Count one e-mail against `throttle` (a security.throttles.WindowThrottle the caller made, or
    None); RateLimited when it is spent. Called once the input is valid, inside the transaction, so
    a refusal writes nothing."""
    if throttle is not None and not throttle.allow_request(None, None):
        raise RateLimited(throttle.wait())


def _check_change(membership: Membership, acting: Membership | None, action_key: str) -> None:
    if membership.is_owner:
        raise OwnerProtected(OWNER_NOT_REMOVABLE if action_key == "users.remove" else OWNER_PROTECTED)
    if acting is not None:
        check_acting(acting, membership.shop, action_key)
        if acting.pk == membership.pk:
            raise OwnMembership(OWN_MEMBERSHIP)


def notify_team_change(membership: Membership, event: str, *, by=None, **extra) -> None:
    """E-mail the member and the shop's owner about a change to the membership (once it commits).

    `event` is one of: joined, roles, suspended, reactivated, removed, left, two_step_reset; the
    templates email/team_change_member.txt and team_change_owner.txt word each. `by` is who acted.
    """
    shop = membership.shop
    context = {
        "event": event,
        "shop": shop,
        "member": membership.user,
        "roles": role_labels(membership.roles),
        "by": by,
        **extra,
    }
    if event != "two_step_reset":  # the member hears of that from security's own e-mail
        send_email(membership.user, "team_change_member", context)
    if shop.owner_id != membership.user_id:
        send_email(shop.owner, "team_change_owner", context)


# Shops and accounts.


def unique_slug(name: str) -> str:
    """A free slug for a shop called `name`: its slugified name, then name-2 … name-9, then a random
    suffix. A race for the same slug ends in the unique constraint, which create_shop retries."""
    base = slugify(name)[:48].strip("-") or "shop"
    candidates = [base, *(f"{base}-{n}" for n in range(2, 10))]
    taken = set(Shop.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return f"{base}-{secrets.token_hex(3)}"


@transaction.atomic
def create_shop(*, owner, name: str, slug: str | None = None, context: RequestContext | None = None) -> Shop:
    """A shop and its owner's membership, together; the owner's powers come from Shop.owner.

    Without `slug`, one is made from the name (unique_slug).
    """
    for attempt in range(3):
        chosen = slug or (unique_slug(name) if attempt < 2 else f"shop-{secrets.token_hex(4)}")
        try:
            with transaction.atomic():
                shop = Shop.objects.create(owner=owner, name=name, slug=chosen)
            break
        except IntegrityError:
            if slug is not None or attempt == 2:
                raise
    Membership.objects.create(user=owner, shop=shop, roles=[])
    record_event(owner, EventKind.SHOP_CREATED, shop=shop, context=context, name=name, slug=shop.slug)
    return shop


@transaction.atomic
def create_account(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password_hash: str | None = None,
    context: RequestContext | None = None,
    via: str,
) -> User:
    """A new person's account, with the password hash given or none usable yet (the caller then sets
    one through security.passwords). `via` says how they came ("signup", "invitation").

    Raises ValidationError on "email" when an account uses the address.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": [ValidationError(_("An account with this e-mail address exists."), code="exists")]}
        )
    user = User(email=email, first_name=first_name, last_name=last_name)
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    record_event(user, EventKind.ACCOUNT_CREATED, context=context, via=via)
    return user


# Members.


@transaction.atomic
def add_member(
    *, shop: Shop, user, roles, by=None, context: RequestContext | None = None, via: str = "product"
) -> Membership:
    """Put a person in a shop with these roles (ValidationError for bad roles), and log it.

    The product adds people through invitations (accounts.invitations); this is for demo data and
    commands, which answer for the person themselves.
    """
    membership = Membership.objects.create(shop=shop, user=user, roles=validate_roles(roles))
    record_event(
        user,
        EventKind.MEMBER_ADDED,
        shop=shop,
        context=context,
        by=actor_label(by),
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
    acting: Membership | None = None,
    by=None,
    context: RequestContext | None = None,
    via: str = "product",
) -> bool:
    """Change a member's roles and/or status; False when nothing changed. The change counts from the
    member's very next request: memberships are read per request.

    Raises OwnerProtected for the owner's membership, OwnMembership for the actor's own, NotAllowed or
    GrantNotHeld for what the actor may not do, and ValidationError for bad roles or status.
    """
    if roles is not None:
        _check_change(membership, acting, "users.change")
    if status is not None:
        _check_change(membership, acting, "users.suspend")
    if acting is not None:
        by = acting.user
    previous_roles, previous_status = list(membership.roles), membership.status
    if roles is not None:
        roles = validate_roles(roles)
        if acting is not None:
            check_may_give(acting, roles)
        membership.roles = roles
    if status is not None:
        if status not in MembershipStatus.values:
            raise ValidationError(
                {"status": [ValidationError(_("Status must be active or suspended."), code="invalid")]}
            )
        membership.status = status
    changed = [
        name
        for name, before in (("roles", previous_roles), ("status", previous_status))
        if getattr(membership, name) != before
    ]
    if not changed:
        return False
    membership.save(update_fields=changed)
    # Grants are cached on the instance: a changed membership answers with its new ones.
    membership.__dict__.pop("grants", None)
    log = {"context": context, "by": actor_label(by), "via": via}
    if "roles" in changed:
        record_event(
            membership.user,
            EventKind.MEMBER_CHANGED,
            shop=membership.shop,
            roles=membership.roles,
            previous_roles=previous_roles,
            **log,
        )
        notify_team_change(membership, "roles", by=by, previous=role_labels(previous_roles))
    if "status" in changed:
        suspended = membership.status == MembershipStatus.SUSPENDED
        record_event(
            membership.user,
            EventKind.MEMBER_SUSPENDED if suspended else EventKind.MEMBER_REACTIVATED,
            shop=membership.shop,
            status=membership.status,
            **log,
        )
        notify_team_change(membership, "suspended" if suspended else "reactivated", by=by)
    return True


@transaction.atomic
def suspend_by_staff(membership: Membership, *, by, reason: str, context: RequestContext) -> bool:
    """Support staff suspend a member in an emergency (SPEC §5): a reason is required, the log says
    staff did it, and the owner and the member are e-mailed. False when already suspended.

    Raises OwnerProtected for the owner (staff freeze an owner's account instead) and
    ValidationError on "reason" when it is empty.
    """
    reason = " ".join((reason or "").split())[:200]
    if not reason:
        raise ValidationError(
            {"reason": [ValidationError(_("Give the reason for the suspension."), code="required")]}
        )
    if membership.is_owner:
        raise OwnerProtected(
            _("The owner's membership cannot be suspended: freeze the owner's account instead.")
        )
    if membership.status == MembershipStatus.SUSPENDED:
        return False
    membership.status = MembershipStatus.SUSPENDED
    membership.save(update_fields=["status"])
    record_event(
        membership.user,
        EventKind.MEMBER_SUSPENDED,
        shop=membership.shop,
        context=context,
        by=actor_label(by),
        by_staff=True,
        via="admin",
        reason=reason,
        status=membership.status,
    )
    notify_team_change(membership, "suspended", by=None, by_staff=True, reason=reason)
    return True


@transaction.atomic
def remove_member(
    membership: Membership,
    *,
    acting: Membership | None = None,
    by=None,
    context: RequestContext | None = None,
    via: str = "product",
) -> None:
    """Take a member out of their shop and log it; the owner cannot be removed (SPEC §5)."""
    _check_change(membership, acting, "users.remove")
    by = acting.user if acting is not None else by
    record_event(
        membership.user,
        EventKind.MEMBER_REMOVED,
        shop=membership.shop,
        context=context,
        by=actor_label(by),
        via=via,
        roles=membership.roles,
    )
    notify_team_change(membership, "removed", by=by)
    membership.delete()


def check_removable(membership: Membership, acting: Membership) -> None:
    """Whether `acting` may remove this member at all; the confirmation page asks it before showing
    a form. Raises OwnerProtected, NotAllowed, OwnMembership."""
    _check_change(membership, acting, "users.remove")


def check_may_leave(membership: Membership) -> None:
    """OwnerCannotLeave for the shop's owner; anyone else may leave."""
    if membership.is_owner:
        raise OwnerCannotLeave(
            _(
                "You own this shop, so you cannot leave it. Its owner stays its owner for as long as it "
                "exists."
            )
        )


@transaction.atomic
def leave_shop(membership: Membership, *, context: RequestContext | None = None) -> None:
    """A member leaves a shop of their own accord; the owner cannot (OwnerCannotLeave)."""
    check_may_leave(membership)
    record_event(
        membership.user, EventKind.MEMBER_LEFT, shop=membership.shop, context=context, roles=membership.roles
    )
    notify_team_change(membership, "left", by=membership.user)
    membership.delete()


@transaction.atomic
def remind_to_enrol(
    acting: Membership, membership: Membership, *, context: RequestContext, throttle=None
) -> None:
    """E-mail a member who has no two-step verification a reminder to turn it on, from the owner.

    Raises TwoStepAlreadyOn, OwnMembership, NotAllowed and RateLimited (see spend_allowance).
    """
    check_acting(acting, membership.shop, "users.remind")
    if membership.pk == acting.pk:
        raise OwnMembership(_("Turn on your own two-step verification on Account Security."))
    if two_step_enabled(membership.user_id):
        raise TwoStepAlreadyOn(
            _("%(email)s already uses two-step verification.") % {"email": membership.user.email}
        )
    spend_allowance(throttle)
    record_event(
        membership.user,
        EventKind.MEMBER_TWO_STEP_REMINDED,
        shop=membership.shop,
        context=context,
        by=acting.user.email,
    )
    send_email(membership.user, "two_step_reminder", {"shop": membership.shop, "by": acting.user})


# The shop's member settings.


@transaction.atomic
def set_shop_two_step_requirement(
    shop: Shop, *, by, required: bool, context: RequestContext, acting: Membership | None = None
) -> bool:
    """Require (or stop requiring) two-step verification of every member; False when unchanged.

    Every member is e-mailed: stopping it weakens every account in the shop, so nobody may learn of
    it late; starting it sends those without it to enrolment on their next shop page.
    """
    if acting is not None:
        check_acting(acting, shop, "users.settings")
        by = acting.user
    if shop.require_two_step == required:
        return False
    shop.require_two_step = required
    shop.save(update_fields=["require_two_step"])
    kind = EventKind.SHOP_TWO_STEP_REQUIRED if required else EventKind.SHOP_TWO_STEP_OPTIONAL
    record_event(by, kind, shop=shop, context=context)
    template = "shop_two_step_required" if required else "shop_two_step_optional"
    for membership in Membership.objects.filter(shop=shop).select_related("user"):
        send_email(membership.user, template, {"shop": shop, "by": by})
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
