"""Checking a second-step code, throttled per budget, with django-otp's replay protection.

Each wrong code makes the next try wait: 1, 2, 4, 8 … seconds, at most an hour. Budgets:
- the account's, on User: every browser that has not completed a full sign-in on the account shares
  it, across sessions and methods, so neither a new session nor switching between app, e-mail and
  recovery codes resets it;
- each browser that has (its known-device cookie, security.account_history): one of its own
  (KnownDeviceCodeFailures), so someone holding the password and guessing codes cannot keep the
  owner's own browser waiting (SPEC §6).
django-otp's throttle counts per second-step device, whoever types, which would make every browser
wait for the guesser: it is off (OTP_*_THROTTLE_FACTOR = 0), and these budgets grow at its rate.
django-otp still refuses a TOTP code at or before the last accepted step (no replay).
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SecondStepMethod
from audit.events import EventKind, RequestContext, record_event
from notifications.email import send_email
from security.account_history import known_device_key
from security.models import KnownDeviceCodeFailures
from security.two_step.devices import DEVICE_MODELS, recovery_code_hash, recovery_codes_left
from security.two_step.errors import INVALID_CODE_MESSAGE, InvalidCode, NotAvailable, Throttled

MAX_DELAY = 60 * 60


def wait_after(failures: int, last_failure_at) -> int:
    """Seconds before a budget with `failures` wrong codes, the last at `last_failure_at`, may try
    again (0: now): 2^(failures-1) seconds after the last one, at most MAX_DELAY."""
    if not failures or last_failure_at is None:
        return 0
    delay = min(2 ** min(failures - 1, 20), MAX_DELAY)
    remaining = (last_failure_at + timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


def account_wait(user) -> int:
    """Seconds before the account's budget (browsers it does not know) may try another code."""
    return wait_after(user.two_step_failures, user.two_step_last_failure_at)


def _token_for(method: SecondStepMethod, code: str) -> str:
    if method == SecondStepMethod.RECOVERY_CODE:
        return recovery_code_hash(code)
    return "".join(code.split())


@dataclass
class _Attempt:
    device: object | None = None
    wait: int = 0


class _AccountBudget:
    """The account-wide budget, on the locked User row."""

    def __init__(self, account):
        self.account = account

    def wait(self) -> int:
        return account_wait(self.account)

    def failed(self) -> None:
        type(self.account).objects.filter(pk=self.account.pk).update(
            two_step_failures=F("two_step_failures") + 1, two_step_last_failure_at=timezone.now()
        )

    def passed(self) -> None:
        if self.account.two_step_failures:
            type(self.account).objects.filter(pk=self.account.pk).update(
                two_step_failures=0, two_step_last_failure_at=None
            )


class _KnownDeviceBudget:
    """A known browser's own budget (its row is locked through the User row's lock)."""

    def __init__(self, account, device_key: str):
        self.row, _ = KnownDeviceCodeFailures.objects.get_or_create(user=account, device=device_key)

    def wait(self) -> int:
        return wait_after(self.row.failures, self.row.last_failure_at)

    def failed(self) -> None:
        KnownDeviceCodeFailures.objects.filter(pk=self.row.pk).update(
            failures=F("failures") + 1, last_failure_at=timezone.now()
        )

    def passed(self) -> None:
        if self.row.failures:
            KnownDeviceCodeFailures.objects.filter(pk=self.row.pk).update(failures=0, last_failure_at=None)


def _attempt(user, method: SecondStepMethod, code: str, context: RequestContext, *, confirmed: bool):
    """Try a code on the user's device for this method, counting a failure in this browser's budget.

    Runs in its own transaction and returns rather than raises, so that a failure's counters and
    security event are committed.
    """
    User = get_user_model()
    device_key = known_device_key(user, context.device_id)
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
        budget = _KnownDeviceBudget(account, device_key) if device_key else _AccountBudget(account)
        wait = budget.wait()
        if wait:
            return _Attempt(wait=wait)
        if device.verify_token(_token_for(method, code)):
            budget.passed()
            if not device_key:
                user.two_step_failures, user.two_step_last_failure_at = 0, None
            if method == SecondStepMethod.RECOVERY_CODE:
                _recovery_code_used(account, context)
            return _Attempt(device=device)
        budget.failed()
        record_event(
            account,
            EventKind.TWO_STEP_FAILURE,
            context=context,
            method=method.value,
            known_browser=bool(device_key),
        )
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
        return _("Ask for a code by e-mail first.")
    if method == SecondStepMethod.RECOVERY_CODE:
        return _("This account has no recovery codes.")
    return _("Two-step verification is not turned on for this account.")


def _recovery_code_used(user, context: RequestContext) -> None:
    left = recovery_codes_left(user)
    record_event(user, EventKind.RECOVERY_CODE_USED, context=context, codes_left=left)
    send_email(user, "two_step_recovery_code_used", {"codes_left": left, "context": context})
