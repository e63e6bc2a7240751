"""Payout account numbers at rest: sealed (encrypted), fingerprinted and shown by their last digits.

The full number is needed to pay out and to roll a hijacked change back, so it is kept, but only as
a Fernet token (AES-128-CBC with HMAC-SHA256) under PAYOUT_DATA_KEYS: a copy of the table, the admin,
its filters and its search reveal nothing of it. The fingerprint, a keyed hash of the normalised
bank code and number, finds the same account registered by another shop without revealing it.
"""

import base64
import hashlib
import re

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

ACCOUNT_NUMBER = re.compile(r"^[A-Z0-9]{4,34}$")
ROUTING_CODE = re.compile(r"^[A-Z0-9]{2,34}$")


def normalise(value: str) -> str:
    """Upper-case, without the spaces, dots and dashes people type in bank details."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _derived_key() -> bytes:
    """A Fernet key derived from SECRET_KEY, for when PAYOUT_DATA_KEYS is not set (development)."""
    digest = hashlib.sha256(f"commerce.payout-data:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    # The first key seals; every listed key opens, so keys can be rotated.
    keys = [key.encode() for key in settings.PAYOUT_DATA_KEYS] or [_derived_key()]
    return MultiFernet([Fernet(key) for key in keys])


def seal(number: str) -> str:
    """The normalised account number, encrypted."""
    return _fernet().encrypt(normalise(number).encode()).decode()


def unseal(token: str) -> str:
    """The account number a seal() token holds; only the payout run needs it."""
    return _fernet().decrypt(token.encode()).decode()


def fingerprint(routing_code: str, number: str) -> str:
    """A keyed hash of the bank code and account number, equal for the same account however typed."""
    value = f"{normalise(routing_code)}:{normalise(number)}"
    return salted_hmac("commerce.payout-account-fingerprint", value, algorithm="sha256").hexdigest()


def last_four(number: str) -> str:
    return normalise(number)[-4:]


def masked(last4: str) -> str:
    """How an account number is shown anywhere after it is saved: "••••1234"."""
    return f"••••{last4}"
