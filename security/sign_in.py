"""Signing in (SPEC §6, §7): the one service behind the login page and POST /api/v1/auth/login.

sign_in() checks the lockout, the password and the freeze, starts the session and answers with a
SignInResult: signed in, second step due, or refused (invalid, locked, frozen). When the account has
two-step verification, the session reaches only the verify page until two_step.sign_in_step passes
it; complete_sign_in() then does what every completed sign-in does, whichever path led there: the
new-device alert, the known-device record and the "Signed in" event.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import SecondStepMethod
from accounts.selectors import two_step_enabled
from audit.events import EventKind, RequestContext, record_event
from notifications.email import send_email
from security import account_history, login_protection, sessions
from security.device_names import describe_device
from security.freeze import FROZEN_MESSAGE, freeze_link_url, may_sign_in_while_frozen
from security.passwords import verdicts
from security.two_step.devices import available_methods

GENERIC_LOGIN_ERROR = gettext_lazy(
    "That e-mail and password do not match an account. Check both and try again."
)
LOCKED_MESSAGE = gettext_lazy(
    "Too many failed sign-ins. Wait %(minutes)s before trying again, or reset your password."
)


class Outcome(StrEnum):
    """What a sign-in came to; the values are the API's `status` or error `code` (SPEC §10)."""

    SIGNED_IN = "ok"
    SECOND_STEP_DUE = "2sv_required"
    INVALID = "invalid_credentials"
    LOCKED = "throttled"
    FROZEN = "account_frozen"


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    message: str = ""
    # Seconds to wait, when the lockout refused the attempt (answered 429 with Retry-After).
    retry_after: int | None = None
    # The second-step methods the account can use, when one is due.
    methods: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.outcome not in (Outcome.SIGNED_IN, Outcome.SECOND_STEP_DUE)

    @property
    def http_status(self) -> int:
        return {Outcome.LOCKED: 429, Outcome.FROZEN: 403, Outcome.INVALID: 400}.get(self.outcome, 200)

    def add_headers(self, response):
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response


def _locked(retry_after: int) -> SignInResult:
    minutes = max(1, -(-retry_after // 60))
    wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return SignInResult(Outcome.LOCKED, LOCKED_MESSAGE % {"minutes": wait}, retry_after=retry_after)


def sign_in(request, email: str, password: str, context: RequestContext) -> SignInResult:
    """Check the credentials and start the session; never raises for a refusal."""
    email = (email or "").strip()
    try:
        # Before the password is even looked at, so a locked account cannot be probed further. A
        # refusal writes no event: the lock's start was logged once, and refusals are only counted.
        attempt = login_protection.begin_attempt(email, context)
    except login_protection.LoginLocked as locked:
        return _locked(locked.retry_after)
    # Django's ModelBackend hashes the password against a dummy for unknown e-mails, so a wrong
    # e-mail costs the same time as a wrong password. It finds the account by the same canonical
    # key the lockout counts under (User.objects.get_by_natural_key).
    user = authenticate(request, email=email, password=password or "")
    if user is None:
        record_event(attempt.user, EventKind.LOGIN_FAILURE, context=context, email=email[:254])
        login_protection.attempt_failed(attempt)
        return SignInResult(Outcome.INVALID, GENERIC_LOGIN_ERROR)
    with transaction.atomic():
        login_protection.attempt_succeeded(attempt)
        if not may_sign_in_while_frozen(user, context.device_id):
            record_event(user, EventKind.LOGIN_FAILURE, context=context, reason="frozen")
            return SignInResult(Outcome.FROZEN, FROZEN_MESSAGE)
        # The one moment the password is in plain text: the check-up learns whether it still
        # passes today's rules.
        verdicts.record_sign_in(user, password)
        if request.user.is_authenticated:
            # Signing in again from a signed-in browser starts a new session, whoever it was for:
            # Django's login() would keep the key of a session that is already this user's.
            sessions.forget(request.session.session_key)
            request.session.flush()
        django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        sessions.start(request, user, context, record=login_protection.enabled())
        if two_step_enabled(user):
            request.session[sessions.TWO_STEP_PENDING] = True
            record_event(user, EventKind.LOGIN_PASSWORD_ACCEPTED, context=context)
            return SignInResult(Outcome.SECOND_STEP_DUE, methods=available_methods(user))
        complete_sign_in(request, user, context, method=None)
        return SignInResult(Outcome.SIGNED_IN)


def complete_sign_in(request, user, context: RequestContext, *, method: SecondStepMethod | None) -> None:
    """What every completed sign-in does: alert about a new device or network, remember both, and
    record "Signed in" (with the second step's method, when there was one). A sign-in completed with
    an e-mail code also e-mails the account a notice with a "This wasn't me" link."""
    device = describe_device(context.user_agent)
    if login_protection.enabled():
        # Compared with earlier sign-ins, so it must look before this one is remembered.
        alert_if_new_origin(user, context, device=device)
        account_history.remember_sign_in(request, user, context)
    signed_in = record_event(
        user,
        EventKind.LOGIN_SUCCESS,
        context=context,
        method=method.value if method else "password",
        device=device,
    )
    if method == SecondStepMethod.EMAIL:
        # The mailbox alone passed the second step: tell its holder at once (SPEC §6).
        send_email(
            user,
            "sign_in_with_email_code",
            {
                "when": signed_in.created,
                "device": device,
                "ip": context.ip or "unknown",
                "freeze_url": freeze_link_url(user, subject=f"email-code:{signed_in.pk}"),
            },
        )


def alert_if_new_origin(user, context: RequestContext, *, device: str):
    """E-mail the user when this browser or network has not completed a sign-in on the account in
    the last NEW_SIGN_IN_LOOKBACK (30 days). A first sign-in ever sends nothing."""
    seen = account_history.origins(user, context)
    if not seen.signed_in_before:
        return None
    since = timezone.now() - settings.NEW_SIGN_IN_LOOKBACK
    device_recent = seen.device_last_seen is not None and seen.device_last_seen >= since
    network_recent = seen.network_last_seen is not None and seen.network_last_seen >= since
    if device_recent and network_recent:
        return None
    alert = record_event(user, EventKind.NEW_SIGN_IN_ALERT, context=context, device=device)
    send_email(
        user,
        "new_sign_in",
        {
            "when": alert.created,
            "device": device,
            "ip": context.ip or "unknown",
            "freeze_url": freeze_link_url(user, subject=f"alert:{alert.pk}"),
        },
    )
    return alert


def sign_out(request, context: RequestContext) -> None:
    user = request.user if request.user.is_authenticated else None
    session_key = request.session.session_key
    if user is not None:
        record_event(user, EventKind.LOGOUT, context=context)
    django_logout(request)
    sessions.forget(session_key)
