"""Error pages in the product's layout (SPEC §11): what happened, why, what to do, and a way back.

Django calls these for 400, 403, 404 and 500 (handler400… in sellercenter/urls.py) and for a failed
CSRF check (CSRF_FAILURE_VIEW). Under /api/ they answer with the API's JSON error shape instead,
{"detail", "code"}, for the paths DRF does not answer itself (an unknown endpoint, a server error).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import MissingGrant
from permissions.registry import roles_granting, what_grant_opens

API_PREFIX = "/api/"


@dataclass
class ErrorPage:
    """The words of an error page. `steps` are what to do, in order; `links` the ways back."""

    status: int
    title: str
    what: str
    why: str
    steps: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def _ways_back(request) -> list[tuple[str, str]]:
    """The shop's dashboard when the page belonged to one, then the person's shops (or sign-in)."""
    links = []
    membership = getattr(request, "membership", None)
    if membership is not None:
        links.append(
            (
                _("Back to %(shop)s") % {"shop": membership.shop.name},
                reverse("accounts:dashboard", args=[membership.shop.slug]),
            )
        )
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        links.append((_("Your shops"), reverse("accounts:shops")))
    else:
        links.append((_("Sign in"), reverse("security:login")))
    return links


def _render(request, page: ErrorPage):
    return render(request, "errors/error.html", {"error": page}, status=page.status)


def bad_request(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(400, "bad_request", _("The request could not be understood."))
    return _render(
        request,
        ErrorPage(
            400,
            _("We could not understand that request"),
            _("The request that reached us was incomplete or malformed, so nothing was done."),
            _(
                "This happens when an address is cut short, or a form is sent in a way our pages never "
                "send it."
            ),
            [_("Go back, reload the page and try again."), _("If you typed the address, check it.")],
            _ways_back(request),
        ),
    )


def permission_denied(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(403, "permission_denied", str(exception or "") or _("You may not do this."))
    if isinstance(exception, MissingGrant):
        return _render(request, _missing_grant(request, exception))
    detail = str(exception or "")
    return _render(
        request,
        ErrorPage(
            403,
            _("You cannot open this page"),
            detail or _("Your account is signed in, but it may not open this page."),
            _(
                "Seller Center lets each person do only what their account and roles allow, so that a "
                "stolen login can do as little harm as possible."
            ),
            [_("If you think you should have access, ask the shop owner.")],
            _ways_back(request),
        ),
    )


def _missing_grant(request, refusal: MissingGrant) -> ErrorPage:
    shop = refusal.membership.shop
    opens = str(refusal.page) if refusal.page else what_grant_opens(refusal.grant)
    roles = [str(role.label) for role in roles_granting(refusal.grant)]
    owner = shop.owner
    owner_name = (
        f"{owner.get_full_name()} ({owner.email})" if owner.get_full_name() != owner.email else owner.email
    )
    if roles:
        steps = [
            _("Ask the shop owner, %(owner)s, to give you one of these roles in User Management.")
            % {"owner": owner_name},
            _("Once they have, reload this page: the change takes effect at once."),
        ]
    else:
        steps = [
            _("Only the shop owner can do this. If it needs doing, ask %(owner)s.") % {"owner": owner_name},
        ]
    return ErrorPage(
        403,
        _("Your roles in %(shop)s do not include %(opens)s") % {"shop": shop.name, "opens": opens},
        _("You are a member of %(shop)s, but none of your roles opens %(opens)s.")
        % {"shop": shop.name, "opens": opens},
        _(
            "Each member sees only the parts of the shop their roles include, so that a phished login can do "
            "as little harm as possible. The shop owner assigns roles."
        ),
        steps,
        _ways_back(request),
        roles,
    )


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(404, "not_found", _("Not found."))
    return _render(
        request,
        ErrorPage(
            404,
            _("We cannot find that page"),
            _("There is no page at this address, or it belongs to a shop you are not a member of."),
            _(
                "Pages of other shops, and of shops you were removed from, are shown as not found, so that "
                "nobody can learn which shops exist."
            ),
            [
                _("Check the address if you typed it."),
                _("If someone sent you the link, ask the shop owner whether you are still a member."),
            ],
            _ways_back(request),
        ),
    )


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _api_error(500, "server_error", _("Something went wrong on our side. Try again in a moment."))
    # Rendered without the request's context: whatever failed (the database, a context processor)
    # must not fail this page too.
    page = ErrorPage(
        500,
        _("Something went wrong on our side"),
        _("The page could not be completed because of an error in Seller Center, not in anything you did."),
        _("The error was written to our server log."),
        [
            _("Try again in a moment."),
            _(
                "If you were saving a change, open the page again and check whether it was saved before "
                "you repeat it."
            ),
        ],
        [(_("Go to Seller Center"), "/")],
    )
    return HttpResponseServerError(loader.get_template("errors/error.html").render({"error": page}))


CSRF_REASONS = {
    "CSRF cookie not set.": gettext_lazy(
        "Your browser did not send back the security cookie this form needs: cookies "
        "may be blocked for this site."
    ),
}


def csrf_failure(request, reason=""):
    """A form whose anti-forgery check failed (CSRF_FAILURE_VIEW): usually a page left open across a
    sign-in or sign-out, or cookies blocked."""
    if request.path.startswith(API_PREFIX):
        return _api_error(
            403,
            "csrf_failed",
            _("CSRF check failed: send the X-CSRFToken header from GET /api/v1/auth/csrf."),
        )
    steps = [
        _("Go back, reload the page, and send the form again."),
        _("If it happens again, allow cookies for this site."),
    ]
    return _render(
        request,
        ErrorPage(
            403,
            _("This form expired"),
            CSRF_REASONS.get(
                reason, _("The form was sent from a page that is no longer valid, so nothing was done.")
            ),
            _(
                "Every form carries a code from the page it came from, so that other websites cannot send "
                "forms in your name. The code no longer matches: the page was open while you signed in or "
                "out in another tab, or for a long time."
            ),
            steps,
            _ways_back(request),
        ),
    )


def method_not_allowed(request):
    """405 in the layout: the address belongs to a form's button and was opened as a page."""
    return _render(
        request,
        ErrorPage(
            405,
            _("This address is a button, not a page"),
            _("It carries out an action when a form's button sends it, so opening it here did nothing."),
            _("This happens when a page with a button was bookmarked, or a sign-in came back to the button."),
            [_("Go back to the page the button was on and use it again.")],
            _ways_back(request),
        ),
    )


class ProductNotFoundMiddleware:
    """With DEBUG on, Django shows a developer's page for an Http404 a view raises ("No such shop");
    those are the product's answers, so they get the product's page in development too. Addresses
    that match no URL keep Django's page there, which lists the URLs. An empty 405 of a page gets the
    product's page too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Views limited to POST answer other methods with an empty 405 (require_POST): opened as a
        # page (a bookmarked button, a sign-in's `next`), it says what happened in the layout.
        if response.status_code == 405 and not response.content and not request.path.startswith(API_PREFIX):
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
