"""Two-step verification: enrolment, the sign-in's second step, recovery codes and step-up freshness.

Built on django-otp's devices, so that further kinds (passkeys) can be added beside them:
TOTPDevice is the authenticator app, EmailDevice the sign-in fallback, StaticDevice holds the recovery
codes. django-otp throttles each device and refuses a TOTP code at or before the last accepted step;
the counter on User adds a throttle that spans devices and sessions.
"""

import math
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, MembershipStatus, TwoStepMethod
from notifications.email import send_email
from security import sessions
from security.events import EventKind, RequestContext, record_event


class Method(StrEnum):
    """The API's names for the ways to pass a second step."""

    TOTP = "totp"
    EMAIL = "email"
    RECOVERY_CODE = "recovery_code"


# The e-mail code is a fallback for signing in only (SPEC §6): whoever holds the mailbox can also
# reset the password, so it cannot vouch for a sensitive action.
STEP_UP_METHODS = (Method.TOTP, Method.RECOVERY_CODE)
RECOVERY_CODE_COUNT = 10
# Session key: when this session last passed a second step with the app or a recovery code.
VERIFIED_AT = "two_step_verified_at"
# Account throttle: a few free mistakes, then 2, 4, 8 … seconds between tries, at most an hour.
ACCOUNT_FREE_FAILURES = 3
ACCOUNT_MAX_DELAY = 60 * 60


class TwoStepError(Exception):
    """A second-step action that cannot go ahead; `code` is the API's machine-readable reason."""

    code = "two_step_error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidCode(TwoStepError):
    code = "invalid_code"


class Throttled(TwoStepError):
    code = "throttled"
    status = 429

    def __init__(self, wait: int):
        unit = "second" if wait == 1 else "seconds"
        super().__init__(f"Too many wrong codes. Wait {wait} {unit}, then try again.")
        self.wait = wait


class NotAvailable(TwoStepError):
    code = "method_unavailable"
    status = 409


class AlreadyEnabled(TwoStepError):
    code = "two_step_already_enabled"
    status = 409


class RequiredByShop(TwoStepError):
    code = "two_step_required_by_shop"
    status = 409


INVALID_CODE_MESSAGE = "That code is not valid. Check it and try again."


# Reads.


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def is_enabled(user) -> bool:
    """Two-step verification is on once an authenticator app has been confirmed."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def available_methods(user) -> list[str]:
    """The second-step methods this user can use now, in the API's names."""
    if not is_enabled(user):
        return []
    methods = [Method.TOTP.value, Method.EMAIL.value]
    if recovery_codes_left(user):
        methods.append(Method.RECOVERY_CODE.value)
    return methods


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it for manual entry."""
    return b32encode(device.bin_key).decode()


def otpauth_uri(device: TOTPDevice) -> str:
    """otpauth://totp/Seller%20Center:<email>?secret=…&issuer=Seller%20Center"""
    return device.config_url


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code."""
    return segno.make(otpauth_uri(device), error="m").svg_inline(scale=5, dark="#1d2433")


def infer_method(code: str) -> Method:
    """The page's single [code] field: six digits are the app's code, anything else a recovery code."""
    digits = "".join(code.split())
    return Method.TOTP if digits.isdigit() and len(digits) == 6 else Method.RECOVERY_CODE


# Recovery codes. django-otp keeps StaticToken.token in plain text (16 characters at most), so the
# token field holds a keyed hash of the code instead: HMAC-SHA256 under SECRET_KEY, first 16 hex
# digits. A copy of the database alone then reveals no usable code and cannot be brute-forced offline.


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_hash(code: str) -> str:
    return salted_hmac(
        "security.recovery_code", normalise_recovery_code(code), algorithm="sha256"
    ).hexdigest()[:16]


def _new_recovery_code() -> str:
    raw = b32encode(secrets.token_bytes(10)).decode().lower()[:10]  # 50 bits
    return f"{raw[:5]}-{raw[5:]}"


def issue_recovery_codes(user) -> list[str]:
    """Ten new recovery codes in place of the old ones; only their hashes are kept."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_hash(c)) for c in codes)
    return codes


# Throttling.


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


def _device_for(user, method: Method, *, confirmed: bool = True):
    model = {Method.TOTP: TOTPDevice, Method.EMAIL: EmailDevice, Method.RECOVERY_CODE: StaticDevice}[method]
    return model.objects.select_for_update().filter(user=user, confirmed=confirmed).order_by("-id").first()


def _token_for(method: Method, code: str) -> str:
    if method == Method.RECOVERY_CODE:
        return recovery_code_hash(code)
    return "".join(code.split())


@dataclass
class _Attempt:
    device: object | None = None
    wait: int = 0


def _attempt(user, method: Method, code: str, context: RequestContext, *, confirmed: bool = True):
    """Try a code on the user's device for this method, counting a failure on device and account.

    Runs in its own transaction and returns rather than raises, so that a failure's counters and
    security event are committed.
    """
    User = get_user_model()
    with transaction.atomic():
        # Locking the user row serialises attempts on one account across sessions and processes.
        account = User.objects.select_for_update().get(pk=user.pk)
        device = _device_for(account, method, confirmed=confirmed)
        if device is None:
            return None
        wait = max(account_wait(account), device_wait(device))
        if wait:
            return _Attempt(wait=wait)
        if device.verify_token(_token_for(method, code)):
            if account.two_step_failures:
                User.objects.filter(pk=account.pk).update(two_step_failures=0, two_step_last_failure_at=None)
                user.two_step_failures, user.two_step_last_failure_at = 0, None
            if method == Method.RECOVERY_CODE:
                _recovery_code_used(account, context)
            return _Attempt(device=device)
        User.objects.filter(pk=account.pk).update(
            two_step_failures=F("two_step_failures") + 1, two_step_last_failure_at=timezone.now()
        )
        record_event(account, EventKind.TWO_STEP_FAILURE, context=context, method=method.value)
        return _Attempt()


def check_code(user, method: Method, code: str, context: RequestContext, *, confirmed: bool = True):
    """The device that accepted the code; InvalidCode, Throttled or NotAvailable otherwise."""
    attempt = _attempt(user, method, code, context, confirmed=confirmed)
    if attempt is None:
        raise NotAvailable(_unavailable_message(method))
    if attempt.wait:
        raise Throttled(attempt.wait)
    if attempt.device is None:
        raise InvalidCode(INVALID_CODE_MESSAGE)
    return attempt.device


def _unavailable_message(method: Method) -> str:
    if method == Method.EMAIL:
        return "Ask for a code by e-mail first."
    if method == Method.RECOVERY_CODE:
        return "This account has no recovery codes."
    return "Two-step verification is not turned on for this account."


def _recovery_code_used(user, context: RequestContext) -> None:
    left = recovery_codes_left(user)
    record_event(user, EventKind.RECOVERY_CODE_USED, context=context, codes_left=left)
    send_email(user, "two_step_recovery_code_used", {"codes_left": left, "context": context})


# The sign-in's second step.


def verify_second_step(request, method: Method, code: str, context: RequestContext) -> None:
    """Check a code for a session whose password passed, then finish the sign-in."""
    device = check_code(request.user, Method(method), code, context)
    complete_sign_in(request, device, context, method=Method(method))


def complete_sign_in(request, device, context: RequestContext, *, method: Method = Method.TOTP) -> None:
    """Mark the session verified and rotate its key again: the pre-2SV key must not carry over."""
    old_key = request.session.session_key
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(sessions.TWO_STEP_PENDING, None)
    if method in STEP_UP_METHODS:
        mark_fresh(request)
    sessions.rekey(old_key, request.session.session_key)
    record_event(request.user, EventKind.TWO_STEP_SUCCESS, context=context, method=method.value)


def send_email_code(user, context: RequestContext) -> None:
    """E-mail a 6-digit sign-in code, valid for OTP_EMAIL_TOKEN_VALIDITY seconds and usable once."""
    if not is_enabled(user):
        raise NotAvailable("Codes by e-mail are a fallback for accounts with an authenticator app.")
    with transaction.atomic():
        device, _ = EmailDevice.objects.select_for_update().get_or_create(
            user=user, defaults={"name": "E-mail", "confirmed": True}
        )
        allowed, info = device.generate_is_allowed()
        if not allowed:
            wait = math.ceil((info["next_generation_at"] - timezone.now()).total_seconds())
            error = Throttled(max(1, wait))
            error.message = f"We sent a code a moment ago. Wait {error.wait} seconds to ask for another."
            raise error
        device.cooldown_set(commit=False)
        device.generate_token(length=6, valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY, commit=False)
        device.save()
        send_email(
            user,
            "two_step_email_code",
            {"code": device.token, "minutes": settings.OTP_EMAIL_TOKEN_VALIDITY // 60, "context": context},
        )


# Step-up: a fresh second step for sensitive actions.


def mark_fresh(request) -> None:
    request.session[VERIFIED_AT] = timezone.now().timestamp()


def is_fresh(request) -> bool:
    """True when this session passed the app or a recovery code within STEP_UP_MAX_AGE."""
    verified_at = request.session.get(VERIFIED_AT)
    if verified_at is None:
        return False
    age = timezone.now().timestamp() - verified_at
    return 0 <= age <= settings.STEP_UP_MAX_AGE.total_seconds()


def step_up(request, method: Method, code: str, context: RequestContext) -> None:
    """Check the app or a recovery code again and mark the session fresh for sensitive actions."""
    method = Method(method)
    if method not in STEP_UP_METHODS:
        raise NotAvailable("Use your authenticator app or a recovery code: e-mail codes cannot confirm this.")
    check_code(request.user, method, code, context)
    mark_fresh(request)
    record_event(request.user, EventKind.TWO_STEP_SUCCESS, context=context, method=method.value, step_up=True)


# Enrolment and turning off.


def pending_totp_device(user, *, restart: bool = False) -> TOTPDevice:
    """The authenticator being enrolled (unconfirmed); a new secret when restarting or none exists."""
    if is_enabled(user):
        raise AlreadyEnabled("Two-step verification is already on. Turn it off first to change the app.")
    device = None if restart else totp_device(user, confirmed=False)
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp(request, code: str, context: RequestContext) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes."""
    user = request.user
    if is_enabled(user):
        raise AlreadyEnabled("Two-step verification is already on.")
    try:
        device = check_code(user, Method.TOTP, code, context, confirmed=False)
    except NotAvailable:
        raise NotAvailable("Start setting up the authenticator app first.") from None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = issue_recovery_codes(user)
        user.preferred_two_step_method = TwoStepMethod.TOTP
        user.save(update_fields=["preferred_two_step_method"])
        # Sessions signed in with the password alone (perhaps the very attacker this is meant to stop)
        # end now: from here on every session passes the second step.
        ended = sessions.end_sessions(user, keep_session_key=request.session.session_key)
        record_event(
            user, EventKind.TWO_STEP_ENABLED, context=context, method=Method.TOTP.value, sessions_ended=ended
        )
        send_email(user, "two_step_enabled", {"context": context})
    otp_login(request, device)
    mark_fresh(request)
    return codes


def shops_requiring_two_step(user) -> list[str]:
    return list(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE, shop__require_two_step=True)
        .order_by("shop__name")
        .values_list("shop__name", flat=True)
    )


@transaction.atomic
def disable(user, context: RequestContext) -> None:
    """Remove every second-step device of the user; refused while a shop of theirs requires 2SV."""
    if not is_enabled(user):
        raise NotAvailable("Two-step verification is already off.")
    required_by = shops_requiring_two_step(user)
    if required_by:
        raise RequiredByShop(
            f"{', '.join(required_by)} requires two-step verification for all members, so it must stay on."
        )
    for model in (TOTPDevice, StaticDevice, EmailDevice):
        model.objects.filter(user=user).delete()
    record_event(user, EventKind.TWO_STEP_DISABLED, context=context)
    send_email(user, "two_step_disabled", {"context": context})


def forget_verification(request) -> None:
    """After turning 2SV off this session no longer counts as verified or fresh."""
    request.session.pop(VERIFIED_AT, None)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


@transaction.atomic
def regenerate_recovery_codes(user, context: RequestContext) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not is_enabled(user):
        raise NotAvailable("Turn on two-step verification first.")
    codes = issue_recovery_codes(user)
    record_event(user, EventKind.RECOVERY_CODES_REGENERATED, context=context)
    send_email(user, "two_step_recovery_codes_regenerated", {"context": context})
    return codes


def set_preferred_method(user, method: str) -> None:
    user.preferred_two_step_method = TwoStepMethod(method)
    user.save(update_fields=["preferred_two_step_method"])


@transaction.atomic
def set_shop_requirement(shop, *, by, required: bool, context: RequestContext) -> None:
    """Require (or stop requiring) two-step verification of every member of the shop."""
    if shop.require_two_step == required:
        return
    shop.require_two_step = required
    shop.save(update_fields=["require_two_step"])
    kind = EventKind.SHOP_TWO_STEP_REQUIRED if required else EventKind.SHOP_TWO_STEP_OPTIONAL
    record_event(by, kind, shop=shop, context=context)
