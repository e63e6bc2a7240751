"""Step-up: a fresh second step for sensitive actions (SPEC §6), and codes bound to one action (§6a).

A FRESH action (registry SecondStep.FRESH) needs the app or a recovery code within STEP_UP_MAX_AGE:
pages use @step_up_required, which sends the person to the step-up page and back; the API uses the
FreshSecondStep permission, which answers 403 "step_up_required". A BOUND action takes a code in the
same request and approve() checks it for that one action: codes are single use, so it cannot
approve another.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions

from accounts.models import SecondStepMethod
from accounts.selectors import two_step_enabled
from audit.events import EventKind, RequestContext, record_event
from permissions.registry import Action
from security.two_step.codes import check_code
from security.two_step.devices import STEP_UP_METHODS, infer_method
from security.two_step.errors import NotAvailable

# Session key: when this session last passed a second step with the app or a recovery code.
VERIFIED_AT = "two_step_verified_at"

STEP_UP_DETAIL = gettext_lazy(
    "Confirm it's you: enter a code from your authenticator app or a recovery code."
)
ENROL_FIRST_DETAIL = gettext_lazy(
    "Turn on two-step verification first: this action needs a code from your authenticator app."
)
EMAIL_CODE_REFUSED = gettext_lazy(
    "Use your authenticator app or a recovery code: e-mail codes cannot confirm this."
)


def mark_fresh(request) -> None:
    request.session[VERIFIED_AT] = timezone.now().timestamp()


def is_fresh(request) -> bool:
    """True when this session passed the app or a recovery code within STEP_UP_MAX_AGE."""
    verified_at = request.session.get(VERIFIED_AT)
    if verified_at is None:
        return False
    age = timezone.now().timestamp() - verified_at
    return 0 <= age <= settings.STEP_UP_MAX_AGE.total_seconds()


def forget_freshness(request) -> None:
    request.session.pop(VERIFIED_AT, None)


def step_up(request, method, code: str, context: RequestContext) -> None:
    """Check the app or a recovery code again and mark the session fresh for sensitive actions.

    `method` None: inferred from the code. Raises NotAvailable for the e-mail code.
    """
    method = infer_method(code) if method is None else SecondStepMethod(method)
    if method not in STEP_UP_METHODS:
        raise NotAvailable(EMAIL_CODE_REFUSED)
    check_code(request.user, method, code, context)
    mark_fresh(request)
    record_event(request.user, EventKind.TWO_STEP_SUCCESS, context=context, method=method.value, step_up=True)


def approve(user, code: str, context: RequestContext, *, action: Action, summary: str) -> None:
    """Check a code sent with the request it approves: the app or a recovery code, never e-mail.

    Raises the errors of codes.check_code (InvalidCode, Throttled, NotAvailable). `summary` says
    what was approved ("payout account First Bank ••••1234") and goes into the security log.
    """
    if not two_step_enabled(user):
        raise NotAvailable(ENROL_FIRST_DETAIL)
    method = infer_method(code)
    check_code(user, method, code, context)
    record_event(
        user,
        EventKind.TWO_STEP_SUCCESS,
        context=context,
        method=method.value,
        action=action.key,
        approved=summary,
    )


def step_up_url(next_url: str) -> str:
    return f"{reverse('security:step-up')}?{urlencode({'next': next_url})}"


def step_up_required(view):
    """Page decorator: without a fresh second step, go to the step-up page, then come back.

    A refused POST comes back as a GET of the same address, so decorated views show their
    confirmation form on GET and act on POST.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not is_fresh(request):
            return redirect(step_up_url(request.get_full_path() if request.method == "GET" else request.path))
        return view(request, *args, **kwargs)

    return wrapped


class FreshSecondStep(permissions.BasePermission):
    """DRF permission: the session passed the app or a recovery code within STEP_UP_MAX_AGE."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if is_fresh(request):
            return True
        if not two_step_enabled(request.user):
            raise exceptions.PermissionDenied(ENROL_FIRST_DETAIL, code="two_step_enrolment_required")
        raise exceptions.PermissionDenied(STEP_UP_DETAIL, code="step_up_required")
