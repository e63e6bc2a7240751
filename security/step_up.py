"""Step-up: sensitive actions need a second step within the last STEP_UP_MAX_AGE (SPEC §6).

Pages use @step_up_required, which sends the user to the step-up page and back; the API uses the
FreshSecondStep permission class, which answers 403 with code "step_up_required".
"""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework import exceptions, permissions

from security import two_step

STEP_UP_DETAIL = "Confirm it's you: enter a code from your authenticator app or a recovery code."
ENROL_FIRST_DETAIL = (
    "Turn on two-step verification first: this action needs a code from your authenticator app."
)


def safe_next(request, default: str = "") -> str:
    """The ?next= (or POSTed next) target when it stays on this site, else the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def step_up_url(next_url: str) -> str:
    return f"{reverse('security:step-up')}?{urlencode({'next': next_url})}"


def step_up_required(view):
    """Page decorator: without a fresh second step, go to the step-up page, then come back.

    A refused POST comes back as a GET of the same address, so decorated views show their
    confirmation form on GET and act on POST.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not two_step.is_fresh(request):
            return redirect(step_up_url(request.get_full_path() if request.method == "GET" else request.path))
        return view(request, *args, **kwargs)

    return wrapped


class FreshSecondStep(permissions.BasePermission):
    """DRF permission: the session passed the app or a recovery code within STEP_UP_MAX_AGE."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if two_step.is_fresh(request):
            return True
        if not two_step.is_enabled(request.user):
            raise exceptions.PermissionDenied(ENROL_FIRST_DETAIL, code="two_step_enrolment_required")
        raise exceptions.PermissionDenied(STEP_UP_DETAIL, code="step_up_required")
