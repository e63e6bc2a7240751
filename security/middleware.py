"""The account gate: the one place that decides whether a signed-in session may go on (STYLE.md).

Every request first has its known-device cookie read (security.account_history). Then, for a
signed-in session, in order: an expired session (absolute or idle bound) is signed out; a frozen
account is signed out unless this browser may still use it; a session that passed the password but
not the second step reaches only the verify page, logout and the CSRF endpoint; then the session's
last-seen time moves on. Pages are redirected, the API answers with a status and a stable code.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import TwoStepEnrolmentRequired
from security import sessions
from security.account_history import device_id_from, set_device_cookie
from security.freeze import FROZEN_MESSAGE, may_sign_in_while_frozen

API_PREFIX = "/api/"


def _refuse(request, *, status: int, code: str, detail: str, redirect_to: str):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    _warn_once(request, detail)
    return redirect(redirect_to)


def _warn_once(request, text) -> None:
    """Queue the warning unless the same one waits already: a browser that keeps asking for pages
    (or their assets) while refused reads it once on the page it lands on."""
    storage = messages.get_messages(request)
    waiting = {str(message.message) for message in storage}
    storage.used = False  # reading them here is not showing them: they stay for the next page
    if str(text) not in waiting:
        messages.warning(request, text)


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.known_device_id = device_id_from(request)
        refusal = self.check(request) if request.user.is_authenticated else None
        response = refusal or self.get_response(request)
        if getattr(request, "new_known_device", False):
            set_device_cookie(response, request.known_device_id)
        return response

    def check(self, request):
        user = request.user
        if sessions.expired(request):
            self._sign_out(request)
            return _refuse(
                request,
                status=401,
                code="session_expired",
                detail=_("Your session ended. Please sign in again."),
                redirect_to=reverse("security:login"),
            )
        if user.is_frozen and not may_sign_in_while_frozen(user, request.known_device_id):
            self._sign_out(request)
            return _refuse(
                request,
                status=403,
                code="account_frozen",
                detail=FROZEN_MESSAGE,
                redirect_to=reverse("security:login"),
            )
        if request.session.get(sessions.TWO_STEP_PENDING) and not self._open_while_pending(request):
            return _refuse(
                request,
                status=401,
                code="two_step_required",
                detail=_("Enter the code from your second step to continue."),
                redirect_to=reverse("security:login-verify"),
            )
        sessions.touch(request)
        return None

    @staticmethod
    def _sign_out(request) -> None:
        session_key = request.session.session_key
        logout(request)
        sessions.forget(session_key)

    def process_exception(self, request, exception):
        # A shop that requires two-step verification sends a member without it to enrolment, from
        # whichever page asked for their membership.
        if isinstance(exception, TwoStepEnrolmentRequired):
            return _refuse(
                request,
                status=403,
                code=exception.code,
                detail=str(exception),
                redirect_to=reverse("security:totp-enrol"),
            )
        return None

    @staticmethod
    def _open_while_pending(request) -> bool:
        return request.path in {
            reverse("security:login-verify"),
            reverse("security:logout"),
            reverse("api:auth-verify"),
            reverse("api:auth-verify-email-code"),
            reverse("api:auth-logout"),
            reverse("api:auth-csrf"),
        }
