"""What a member acting on their shop's team may do (SPEC §5): the registry action must be allowed by
their grants, the roles they give must be real assignable roles, and nobody gives a grant they lack."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import GrantNotHeld, NotAllowed
from accounts.models import Membership, Shop
from permissions.registry import ASSIGNABLE_ROLES, OWNER, action_allowed, grants_for

NOT_ALLOWED = gettext_lazy("Your roles in this shop do not allow this.")
# A list of role names longer than this is not a mistake worth reading through.
MAX_ROLES_GIVEN = 20


def validate_roles(roles) -> list[str]:
    """One or more of the eight assignable roles, de-duplicated, in registry order.

    Raises ValidationError on "roles": not a list of names, none given, "owner" (a shop has one owner,
    named by Shop.owner), or a name the registry does not know.
    """

    def refuse(message: str, code: str):
        raise ValidationError({"roles": [ValidationError(message, code=code)]})

    if not isinstance(roles, list | tuple) or not all(isinstance(name, str) for name in roles):
        refuse(_("Give the roles as a list of role names."), "invalid")
    if not roles:
        refuse(_("Choose at least one role."), "required")
    if len(roles) > MAX_ROLES_GIVEN:
        refuse(_("Choose at most %(count)d roles.") % {"count": len(ASSIGNABLE_ROLES)}, "too_many")
    if OWNER in roles:
        refuse(
            _("The owner role cannot be given: a shop has one owner, who holds every grant."), "owner_role"
        )
    unknown = sorted({name for name in roles if name not in ASSIGNABLE_ROLES})
    if unknown:
        shown = ", ".join(name[:40] for name in unknown[:3])
        refuse(
            _("Unknown role: %(role)s. Choose among %(roles)s.")
            % {"role": shown, "roles": ", ".join(ASSIGNABLE_ROLES)},
            "unknown_role",
        )
    return [name for name in ASSIGNABLE_ROLES if name in roles]


def check_acting(acting: Membership, shop: Shop, action_key: str) -> None:
    """NotAllowed unless `acting` is an active membership of `shop` whose grants allow the registry
    action `action_key` (permissions.registry.ACTIONS)."""
    if acting.shop_id != shop.pk or not acting.is_active or not action_allowed(acting.grants, action_key):
        raise NotAllowed(NOT_ALLOWED)


def check_may_give(acting: Membership, roles) -> None:
    """Nobody can give a grant they lack (SPEC §5): GrantNotHeld names the grants missing."""
    missing = grants_for(roles) - acting.grants
    if missing:
        raise GrantNotHeld(
            _("You cannot give grants you do not hold yourself: %(grants)s.")
            % {"grants": ", ".join(sorted(grant.value for grant in missing))}
        )
