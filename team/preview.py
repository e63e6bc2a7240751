"""What a set of roles will open and do, from the registry: the live preview beside the role boxes.

The page renders every area and action an assignable role can reach, each marked with the grant it
needs, and hides those the ticked roles lack; static/js/role-preview.js repeats the same test in the
browser as boxes are ticked, using the grants each box carries (data-grants). Without script, the
page's "Show what these roles open" button asks the server for the same answer.
"""

from dataclasses import dataclass

from permissions.registry import AREAS, ASSIGNABLE_ROLES, ROLES, Action, Area, Grant, grants_for

# Grants no assignable role holds (users.manage, store.sensitive): only the owner has them.
GRANTABLE: frozenset[Grant] = frozenset().union(*(ROLES[name].grants for name in ASSIGNABLE_ROLES))


@dataclass(frozen=True)
class PreviewArea:
    area: Area
    actions: list[Action]
    shown: bool
    shown_actions: frozenset[str]


def preview(roles) -> list[PreviewArea]:
    """Every area some assignable role opens, each marked shown or not for the union of `roles`."""
    grants = grants_for(roles)
    return [
        PreviewArea(
            area=area,
            actions=[action for action in area.actions if action.grant in GRANTABLE],
            shown=area.view_grant in grants,
            shown_actions=frozenset(action.key for action in area.actions_for(grants)),
        )
        for area in AREAS
        if area.view_grant in GRANTABLE
    ]


def owner_only_actions() -> list[Action]:
    """What no role but the owner's can do, to say so beside the preview."""
    return [action for area in AREAS for action in area.actions if action.grant not in GRANTABLE]


def role_grants(name: str) -> str:
    """The role's grants, space-separated, for the box's data-grants attribute."""
    return " ".join(sorted(grant.value for grant in ROLES[name].grants))
