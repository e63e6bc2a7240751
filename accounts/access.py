"""The one way to ask "may this user do G in shop S", for pages and the API alike.

The shop in the URL gives the caller's membership (404 when there is none, or it is suspended),
loaded once per request with its grants; the registry says which grant a page or action needs (403).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from accounts.selectors import active_membership, two_step_enabled
from permissions.registry import Grant


class TwoStepEnrolmentRequired(PermissionDenied):
    """The shop requires two-step verification and the caller has not turned it on."""

    code = "two_step_enrolment_required"

    def __init__(self, shop):
        super().__init__(
            _(
                "%(shop)s requires two-step verification for all members. "
                "Turn it on in Account Security to continue."
            )
            % {"shop": shop.name}
        )
        self.shop = shop


def membership_or_404(request, shop_slug: str):
    """The caller's active membership of the shop, loaded once per request.

    A shop the caller does not belong to, or is suspended from, does not exist for them (404). A
    shop that requires two-step verification refuses members without it (TwoStepEnrolmentRequired).
    """
    cached = getattr(request, "membership", None)
    if cached is not None and cached.shop.slug == shop_slug:
        return cached
    membership = active_membership(request.user, shop_slug)
    if membership is None:
        raise Http404(_("No such shop."))
    # Only shops that require it pay for the device query.
    if membership.shop.require_two_step and not two_step_enabled(membership.user_id):
        raise TwoStepEnrolmentRequired(membership.shop)
    request.membership = membership
    return membership


class MissingGrant(PermissionDenied):
    """A member's roles lack the grant a page needs (403); the error page names the roles that have it,
    and the page by `page` when the grant's own area would name another one."""

    def __init__(self, membership, grant: Grant, page: str | None = None):
        super().__init__(_("Your roles in this shop do not include %(grant)s.") % {"grant": grant.value})
        self.membership = membership
        self.grant = grant
        self.page = page


def require_grant(membership, grant: Grant | None, page: str | None = None) -> None:
    """MissingGrant (a PermissionDenied, 403) when the membership lacks the grant."""
    if grant is not None and not membership.has(grant):
        raise MissingGrant(membership, grant, page)


def shop_view(grant: Grant | None = None, *, page: str | None = None):
    """Decorate a page view taking `slug`: loads request.membership, then demands the grant.
    `page` names the page on the 403 when it is not the grant's own area (the shop's security log
    needs User Management's grant)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            # TwoStepEnrolmentRequired becomes a redirect to enrolment in the account gate.
            membership = membership_or_404(request, slug)
            require_grant(membership, grant, page)
            return view(request, slug, *args, **kwargs)

        return wrapped

    return decorator


class ShopGrant(permissions.BasePermission):
    """DRF permission: the view's `required_grant` (or `grants_by_method`) in the URL's shop.

    Not a member (or suspended): 404. A member lacking the grant: 403; a member of a shop that
    requires two-step verification without it: 403 with code "two_step_enrolment_required".
    """

    def has_permission(self, request, view):
        try:
            membership = membership_or_404(request, view.kwargs["slug"])
        except TwoStepEnrolmentRequired as refusal:
            raise exceptions.PermissionDenied(str(refusal), code=refusal.code) from None
        grant = getattr(view, "grants_by_method", {}).get(request.method) or getattr(
            view, "required_grant", None
        )
        if grant is not None and not membership.has(grant):
            raise exceptions.PermissionDenied(
                _("Your roles in this shop do not include %(grant)s.") % {"grant": grant.value},
                code="missing_grant",
            )
        return True
