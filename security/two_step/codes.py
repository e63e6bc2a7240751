"""Checking a second-step code, throttled per device (django-otp) and per account (ours).

django-otp throttles each device and refuses a TOTP code at or before the last accepted step; the
counter on User adds a throttle that spans devices and sessions, so neither a new session nor
switching between app, e-mail and recovery codes resets it: a few free mistakes, then 2, 4, 8 …
seconds between tries, at most an hour.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import SecondStepMethod
from audit.events import EventKind, RequestContext, record_event
from notifications.email import send_email
from security.two_step.devices import DEVICE_MODELS, recovery_code_hash, recovery_codes_left
from security.two_step.errors import INVALID_CODE_MESSAGE, InvalidCode, NotAvailable, Throttled

ACCOUNT_FREE_FAILURES = 3
ACCOUNT_MAX_DELAY = 60 * 60


def account_wait(user) -> int:
    """Seconds before this account may try another code (0: now)."""
    failures = user.two_step_failures
    if failures < ACCOUNT_FREE_FAILURES or user.two_step_last_failure_at is None:
        return 0
    delay = min(2 ** (failures - ACCOUNT_FREE_FAILURES + 1), ACCOUNT_MAX_DELAY)
    remaining = (user.two_step_last_failure_at + timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


def device_wait(device) -> int:
    """Seconds before django-otp's throttle lets this device verify again (0: now)."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


def _token_for(method: SecondStepMethod, code: str) -> str:
    if method == SecondStepMethod.RECOVERY_CODE:
        return recovery_code_hash(code)
    return "".join(code.split())


@dataclass
class _Attempt:
    device: object | None = None
    wait: int = 0


def _attempt(user, method: SecondStepMethod, code: str, context: RequestContext, *, confirmed: bool):
    """Try a code on the user's device for this method, counting a failure on device and account.

    Runs in its own transaction and returns rather than raises, so that a failure's counters and
    security event are committed.
    """
    User = get_user_model()
    with transaction.atomic():
        # Locking the user row serialises attempts on one account across sessions and processes.
        account = User.objects.select_for_update().get(pk=user.pk)
        device = (
            DEVICE_MODELS[method]
            .objects.select_for_update()
            .filter(user=account, confirmed=confirmed)
            .order_by("-id")
            .first()
        )
        if device is None:
            return None
        wait = max(account_wait(account), device_wait(device))
        if wait:
            return _Attempt(wait=wait)
        if device.verify_token(_token_for(method, code)):
            if account.two_step_failures:
                User.objects.filter(pk=account.pk).update(two_step_failures=0, two_step_last_failure_at=None)
                user.two_step_failures, user.two_step_last_failure_at = 0, None
            if method == SecondStepMethod.RECOVERY_CODE:
                _recovery_code_used(account, context)
            return _Attempt(device=device)
        User.objects.filter(pk=account.pk).update(
            two_step_failures=F("two_step_failures") + 1, two_step_last_failure_at=timezone.now()
        )
        record_event(account, EventKind.TWO_STEP_FAILURE, context=context, method=method.value)
        return _Attempt()


def check_code(user, method: SecondStepMethod, code: str, context: RequestContext, *, confirmed: bool = True):
    """The device that accepted the code; InvalidCode, Throttled or NotAvailable otherwise."""
    method = SecondStepMethod(method)
    attempt = _attempt(user, method, code, context, confirmed=confirmed)
    if attempt is None:
        raise NotAvailable(_unavailable_message(method))
    if attempt.wait:
        raise Throttled(attempt.wait)
    if attempt.device is None:
        raise InvalidCode(INVALID_CODE_MESSAGE)
    return attempt.device


def _unavailable_message(method: SecondStepMethod) -> str:
    if method == SecondStepMethod.EMAIL:
        return "Ask for a code by e-mail first."
    if method == SecondStepMethod.RECOVERY_CODE:
        return "This account has no recovery codes."
    return "Two-step verification is not turned on for this account."


def _recovery_code_used(user, context: RequestContext) -> None:
    left = recovery_codes_left(user)
    record_event(user, EventKind.RECOVERY_CODE_USED, context=context, codes_left=left)
    send_email(user, "two_step_recovery_code_used", {"codes_left": left, "context": context})
