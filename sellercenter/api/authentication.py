"""Session authentication for the API: 401 for a missing session, CSRF on every unsafe method."""

from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication
from rest_framework.permissions import SAFE_METHODS


class SessionAuthentication(authentication.SessionAuthentication):
    """The session cookie; a missing session is 401, not 403.

    CSRF is checked on every unsafe method, signed in or not, so that a login or a recovery request
    cannot be forged from another site either.

    The body of an unsafe method is parsed first, whichever view answers: a malformed body is a
    400 on every endpoint, before the CSRF check (which parses it too) or a view that ignores it.
    """

    def authenticate(self, request):
        if request.method not in SAFE_METHODS:
            request.data  # noqa: B018 - parse now: a ParseError becomes the 400 answer
        self.enforce_csrf(request)
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        return (user, None)

    def authenticate_header(self, request):
        return 'Session realm="api"'


class SessionCookieScheme(SessionScheme):
    """How the OpenAPI schema describes SessionAuthentication: the session cookie."""

    target_class = SessionAuthentication
    priority = 0
