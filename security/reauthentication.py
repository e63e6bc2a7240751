"""Recent authentication (SPEC §6): the password again before two-step settings change.

A stolen session cookie must not be enough to turn two-step verification on with the thief's own
authenticator (after which the owner could not remove it), nor to turn it off, make new recovery
codes or change the preferred method. These need a sign-in or the current password within
REAUTHENTICATION_MAX_AGE (5 minutes). Pages use @reauthentication_required, which asks for the
password and comes back; the API uses the RecentAuthentication permission, which takes `password`
in the body or answers 403 "reauthentication_required". Guesses at the password share the password
change's budget per account (PasswordChangeThrottle), and each wrong one is logged.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions

from audit.events import EventKind, RequestContext, record_event
from security import sessions
from security.throttles import PasswordChangeThrottle

# Session key: when this session last checked the current password (besides the sign-in's, AUTH_AT).
PASSWORD_CONFIRMED_AT = "password_confirmed_at"

REAUTHENTICATION_DETAIL = gettext_lazy(
    "Confirm your current password: changes to two-step verification need a sign-in or your "
    'password within the last 5 minutes. Send it as "password" with this request.'
)
WRONG_PASSWORD = gettext_lazy("That is not your current password. Type it again.")


class WrongPassword(Exception):
    """The password given to confirm it is you was not the account's."""


class TooManyGuesses(Exception):
    """The account's budget of password guesses is spent; `wait` is in seconds."""

    def __init__(self, wait: int):
        super().__init__(_("Too many tries. Wait %(seconds)d seconds.") % {"seconds": wait})
        self.wait = wait


def mark(request) -> None:
    request.session[PASSWORD_CONFIRMED_AT] = timezone.now().timestamp()


def is_recent(request) -> bool:
    """True when this session signed in, or confirmed the password, within REAUTHENTICATION_MAX_AGE."""
    last = max(request.session.get(sessions.AUTH_AT) or 0, request.session.get(PASSWORD_CONFIRMED_AT) or 0)
    age = timezone.now().timestamp() - last
    return 0 <= age <= settings.REAUTHENTICATION_MAX_AGE.total_seconds()


def confirm_password(request, password: str, context: RequestContext) -> None:
    """Check the current password and mark the session recently authenticated.

    Raises TooManyGuesses when the account's budget is spent, WrongPassword (logged) otherwise.
    """
    throttle = PasswordChangeThrottle()
    if not throttle.allow_request(request, None):
        raise TooManyGuesses(throttle.wait())
    user = request.user
    if not user.check_password(password or ""):
        record_event(user, EventKind.REAUTHENTICATION_FAILURE, context=context)
        raise WrongPassword
    mark(request)


def confirm_url(next_url: str) -> str:
    return f"{reverse('security:confirm-password')}?{urlencode({'next': next_url})}"


def reauthentication_required(view=None, *, back: str | None = None):
    """Page decorator: without a recent authentication, ask for the password, then come back.

    A GET comes back to itself; a refused POST comes back as a GET of the same address, or of the
    page named `back` for views that only take POST.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated and not is_recent(request):
                if request.method == "GET":
                    target = request.get_full_path()
                else:
                    target = reverse(back) if back else request.path
                return redirect(confirm_url(target))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


class RecentAuthentication(permissions.BasePermission):
    """DRF permission: the password in the body (`password`, checked whenever it is sent), or a
    sign-in or the current password within REAUTHENTICATION_MAX_AGE; else 403
    "reauthentication_required", 429 when the account's guesses are spent."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        password = request.data.get("password") if hasattr(request.data, "get") else None
        # A password sent is always checked: a wrong one is refused even within the window.
        if isinstance(password, str) and password:
            try:
                confirm_password(request._request, password, RequestContext.from_request(request))
            except TooManyGuesses as spent:
                raise exceptions.Throttled(wait=spent.wait) from None
            except WrongPassword:
                raise exceptions.PermissionDenied(WRONG_PASSWORD, code="reauthentication_required") from None
            return True
        if is_recent(request._request):
            return True
        raise exceptions.PermissionDenied(REAUTHENTICATION_DETAIL, code="reauthentication_required")
