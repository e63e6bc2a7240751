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
            (f"Back to {membership.shop.name}", reverse("accounts:dashboard", args=[membership.shop.slug]))
        )
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        links.append(("Your shops", reverse("accounts:shops")))
    else:
        links.append(("Sign in", reverse("security:login")))
    return links


def _render(request, page: ErrorPage):
    return render(request, "errors/error.html", {"error": page}, status=page.status)


def bad_request(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(400, "bad_request", "The request could not be understood.")
    return _render(
        request,
        ErrorPage(
            400,
            "We could not understand that request",
            "The request that reached us was incomplete or malformed, so nothing was done.",
            "This happens when an address is cut short, or a form is sent in a way our pages never send it.",
            ["Go back, reload the page and try again.", "If you typed the address, check it."],
            _ways_back(request),
        ),
    )


def permission_denied(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(403, "permission_denied", str(exception or "") or "You may not do this.")
    if isinstance(exception, MissingGrant):
        return _render(request, _missing_grant(request, exception))
    detail = str(exception or "")
    return _render(
        request,
        ErrorPage(
            403,
            "You cannot open this page",
            detail or "Your account is signed in, but it may not open this page.",
            "Seller Center lets each person do only what their account and roles allow, so that a "
            "stolen login can do as little harm as possible.",
            ["If you think you should have access, ask the shop owner."],
            _ways_back(request),
        ),
    )


def _missing_grant(request, refusal: MissingGrant) -> ErrorPage:
    shop = refusal.membership.shop
    opens = what_grant_opens(refusal.grant)
    roles = [role.label for role in roles_granting(refusal.grant)]
    owner = shop.owner
    owner_name = (
        f"{owner.get_full_name()} ({owner.email})" if owner.get_full_name() != owner.email else owner.email
    )
    if roles:
        steps = [
            f"Ask the shop owner, {owner_name}, to give you one of these roles in User Management.",
            "Once they have, reload this page: the change takes effect at once.",
        ]
    else:
        steps = [
            f"Only the shop owner can do this. If it needs doing, ask {owner_name}.",
        ]
    return ErrorPage(
        403,
        f"Your roles in {shop.name} do not include {opens}",
        f"You are a member of {shop.name}, but none of your roles opens {opens}.",
        "Each member sees only the parts of the shop their roles include, so that a phished login can do "
        "as little harm as possible. The shop owner assigns roles.",
        steps,
        _ways_back(request),
        roles,
    )


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(404, "not_found", "Not found.")
    return _render(
        request,
        ErrorPage(
            404,
            "We cannot find that page",
            "There is no page at this address, or it belongs to a shop you are not a member of.",
            "Pages of other shops, and of shops you were removed from, are shown as not found, so that "
            "nobody can learn which shops exist.",
            [
                "Check the address if you typed it.",
                "If someone sent you the link, ask the shop owner whether you are still a member.",
            ],
            _ways_back(request),
        ),
    )


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _api_error(500, "server_error", "Something went wrong on our side. Try again in a moment.")
    # Rendered without the request's context: whatever failed (the database, a context processor)
    # must not fail this page too.
    page = ErrorPage(
        500,
        "Something went wrong on our side",
        "The page could not be completed because of an error in Seller Center, not in anything you did.",
        "The error was written to our server log.",
        [
            "Try again in a moment.",
            "If you were saving a change, open the page again and check whether it was saved before "
            "you repeat it.",
        ],
        [("Go to Seller Center", "/")],
    )
    return HttpResponseServerError(loader.get_template("errors/error.html").render({"error": page}))


CSRF_REASONS = {
    "CSRF cookie not set.": "Your browser did not send back the security cookie this form needs: cookies "
    "may be blocked for this site.",
}


def csrf_failure(request, reason=""):
    """A form whose anti-forgery check failed (CSRF_FAILURE_VIEW): usually a page left open across a
    sign-in or sign-out, or cookies blocked."""
    if request.path.startswith(API_PREFIX):
        return _api_error(
            403, "csrf_failed", "CSRF check failed: send the X-CSRFToken header from GET /api/v1/auth/csrf."
        )
    steps = [
        "Go back, reload the page, and send the form again.",
        "If it happens again, allow cookies for this site.",
    ]
    return _render(
        request,
        ErrorPage(
            403,
            "This form expired",
            CSRF_REASONS.get(
                reason, "The form was sent from a page that is no longer valid, so nothing was done."
            ),
            "Every form carries a code from the page it came from, so that other websites cannot send forms "
            "in your name. The code no longer matches: the page was open while you signed in or out in "
            "another tab, or for a long time.",
            steps,
            _ways_back(request),
        ),
    )


class ProductNotFoundMiddleware:
    """With DEBUG on, Django shows a developer's page for an Http404 a view raises ("No such shop");
    those are the product's answers, so they get the product's page in development too. Addresses
    that match no URL keep Django's page there, which lists the URLs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
