"""The second step of a sign-in: a code for a session whose password passed, and codes by e-mail."""

import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_email.models import EmailDevice

from accounts.models import SecondStepMethod
from accounts.selectors import two_step_enabled
from audit.events import RequestContext
from notifications.email import send_email
from security import sessions
from security.sign_in import complete_sign_in
from security.two_step import email_codes
from security.two_step.codes import check_code
from security.two_step.devices import STEP_UP_METHODS
from security.two_step.errors import NotAvailable, Throttled
from security.two_step.step_up import mark_fresh


def verify_second_step(request, method, code: str, context: RequestContext) -> None:
    """Check a code for a session whose password passed, then finish the sign-in.

    Raises the errors of codes.check_code (InvalidCode, Throttled, NotAvailable).
    """
    method = SecondStepMethod(method)
    if method == SecondStepMethod.EMAIL:
        email_codes.ensure_allowed(request.user)
    device = check_code(request.user, method, code, context)
    with transaction.atomic():
        pass_second_step(request, device, context, method=method)
        complete_sign_in(request, request.user, context, method=method)


def pass_second_step(request, device, context: RequestContext, *, method: SecondStepMethod) -> None:
    """Mark the session verified and rotate its key again: the pre-2SV key must not carry over.

    django-otp's login() marks the session but keeps its key.
    """
    old_key = request.session.session_key
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(sessions.TWO_STEP_PENDING, None)
    if method in STEP_UP_METHODS:
        mark_fresh(request)
    sessions.rekey(old_key, request.session.session_key, second_step=method)


def send_email_code(user, context: RequestContext) -> None:
    """E-mail a 6-digit sign-in code, valid for OTP_EMAIL_TOKEN_VALIDITY seconds and usable once."""
    if not two_step_enabled(user):
        raise NotAvailable(_("Codes by e-mail are a fallback for accounts with an authenticator app."))
    email_codes.ensure_allowed(user)
    with transaction.atomic():
        device, _created = EmailDevice.objects.select_for_update().get_or_create(
            user=user, defaults={"name": "E-mail", "confirmed": True}
        )
        allowed, info = device.generate_is_allowed()
        if not allowed:
            wait = max(1, math.ceil((info["next_generation_at"] - timezone.now()).total_seconds()))
            raise Throttled(
                wait,
                _("We sent a code a moment ago. Wait %(seconds)d seconds to ask for another.")
                % {"seconds": wait},
            )
        device.cooldown_set(commit=False)
        device.generate_token(length=6, valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY, commit=False)
        device.save()
        send_email(
            user,
            "two_step_email_code",
            {"code": device.token, "minutes": settings.OTP_EMAIL_TOKEN_VALIDITY // 60, "context": context},
        )
