"""What a user has for the second step: the authenticator app (TOTPDevice), the sign-in fallback by
e-mail (EmailDevice) and ten recovery codes (StaticDevice), read and issued here."""

import secrets
from base64 import b32encode

import segno
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondStepMethod
from accounts.selectors import two_step_enabled
from security.two_step import email_codes

# The e-mail code is a fallback for signing in only (SPEC §6; OWASP ASVS 6.3.6): whoever holds the
# mailbox can also reset the password, so it cannot vouch for a sensitive action.
STEP_UP_METHODS = (SecondStepMethod.TOTP, SecondStepMethod.RECOVERY_CODE)
RECOVERY_CODE_COUNT = 10
DEVICE_MODELS = {
    SecondStepMethod.TOTP: TOTPDevice,
    SecondStepMethod.EMAIL: EmailDevice,
    SecondStepMethod.RECOVERY_CODE: StaticDevice,
}


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def available_methods(user) -> list[str]:
    """The second-step methods this user can use now, in the API's names (no e-mail code for a
    while after a password reset or an address change: security.two_step.email_codes)."""
    if not two_step_enabled(user):
        return []
    methods = [SecondStepMethod.TOTP.value]
    if email_codes.refused_since(user) is None:
        methods.append(SecondStepMethod.EMAIL.value)
    if recovery_codes_left(user):
        methods.append(SecondStepMethod.RECOVERY_CODE.value)
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


def infer_method(code: str) -> SecondStepMethod:
    """The pages' single [code] field: six digits are the app's code, anything else a recovery code."""
    digits = "".join(code.split())
    return SecondStepMethod.TOTP if digits.isdigit() and len(digits) == 6 else SecondStepMethod.RECOVERY_CODE


def remove_all(user) -> None:
    """Delete every second-step device of the user: the app, e-mail codes and recovery codes."""
    for model in DEVICE_MODELS.values():
        model.objects.filter(user=user).delete()


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
