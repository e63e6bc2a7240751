"""Who may use User Management, read from the registry (permissions.registry.USER_MANAGEMENT).

Viewing needs the area's grant; each change is a registry action whose grant the member must hold
and, where the registry says SecondStep.FRESH, a second step within STEP_UP_MAX_AGE: pages send the
person to the step-up page and back, the API answers 403 "step_up_required" (SPEC §6, §10).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from rest_framework import exceptions, permissions

from accounts.access import ShopGrant, membership_or_404, require_grant, shop_view
from permissions.registry import ACTIONS, USER_MANAGEMENT, Action, SecondStep
from security.two_step.step_up import FreshSecondStep, is_fresh, step_up_required, step_up_url


def needs_fresh_step(action: Action | None) -> bool:
    return action is not None and action.second_step == SecondStep.FRESH


def team_page(action_key: str | None = None):
    """Decorate a User Management page taking `slug`: signed in, the shop's membership (404), the
    grant of the registry action `action_key` or, without one, of the area (403), then a fresh second
    step when the action asks for it. A refused POST comes back as a GET after the step-up."""
    action = ACTIONS[action_key] if action_key else None
    grant = action.grant if action else USER_MANAGEMENT.view_grant

    def decorator(view):
        guarded = step_up_required(view) if needs_fresh_step(action) else view
        return wraps(view)(login_required(never_cache(shop_view(grant)(guarded))))

    return decorator


def step_up_for(request, action_key: str, next_url: str):
    """On a page that does several actions: the step-up redirect the registry action needs now, or
    None. Checks the action's grant too (PermissionDenied)."""
    action = ACTIONS[action_key]
    require_grant(request.membership, action.grant)
    if needs_fresh_step(action) and not is_fresh(request):
        return redirect(step_up_url(next_url))
    return None


class TeamActions(permissions.BasePermission):
    """DRF permission after ShopGrant: every registry action the view says this request does
    (`view.actions_for(request)`, keys of ACTIONS) must be allowed by the member's grants (403
    "missing_grant"), and a fresh second step must back the FRESH ones (FreshSecondStep)."""

    def has_permission(self, request, view):
        membership = membership_or_404(request, view.kwargs["slug"])
        actions = [ACTIONS[key] for key in view.actions_for(request)]
        for action in actions:
            if action.grant not in membership.grants:
                raise exceptions.PermissionDenied(
                    _("Your roles in this shop do not include %(grant)s.") % {"grant": action.grant.value},
                    code="missing_grant",
                )
        if any(needs_fresh_step(action) for action in actions):
            return FreshSecondStep().has_permission(request, view)
        return True


# What every User Management endpoint checks, in order: signed in (401), a member (404), the area's
# grant (403), then the grants and second step of the request's registry actions.
TEAM_API_PERMISSIONS = [permissions.IsAuthenticated, ShopGrant, TeamActions]
