"""Authenticator secrets encrypted at rest, with a key kept apart from the database (SPEC §6).

django-otp 1.7.5 keeps TOTPDevice.key as hex in a CharField(max_length=80) and reads it through
`bin_key` (unhexlify) wherever it checks a code or builds the otpauth:// URI. A copy of the database
would hand out every seller's authenticator. Here the column holds

    "enc1:" + base64url(nonce(12) ‖ AES-256-GCM(secret) ‖ tag(16))

(69 characters for django-otp's 20-byte secrets), under TOTP_ENCRYPTION_KEY, a setting that never
lives in the database. Signals on TOTPDevice make it transparent: a device's key is encrypted just
before every save and decrypted when a row is loaded, so in memory django-otp sees its hex as ever,
and every way of saving (create, save, verify_token's own save) stores ciphertext.

Fernet (cryptography's recipe) would need 120 characters for the same secret, more than the column
holds; AES-GCM from the same library is the authenticated encryption underneath it. The associated
data binds a ciphertext to this column, and a row whose key was written without encryption (raw SQL,
bulk_create) is refused when loaded rather than trusted: whoever can write to the database cannot
plant an authenticator secret of their own choosing without the key.

Keys rotate through TOTP_ENCRYPTION_KEY_FALLBACKS: rows are read with any of them and written
with the current one.
"""

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"
ASSOCIATED_DATA = b"otp_totp.TOTPDevice.key"
NONCE_BYTES = 12
# The column holds 80 characters: the prefix, then base64 of nonce, secret and tag.
MAX_SECRET_BYTES = (80 - len(PREFIX)) * 3 // 4 - NONCE_BYTES - 16


class UnreadableSecret(ImproperlyConfigured):
    """A stored key that no configured key decrypts, or one stored without encryption."""


def _cipher(key: str) -> AESGCM:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "TOTP_ENCRYPTION_KEY must be 32 random bytes in URL-safe base64 (44 characters)."
        )
    return AESGCM(raw)


def new_key() -> str:
    """A fresh value for TOTP_ENCRYPTION_KEY."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt(hex_secret: str) -> str:
    """The column's value for a hex secret, under the current key."""
    secret = bytes.fromhex(hex_secret)
    if len(secret) > MAX_SECRET_BYTES:
        raise ValueError(
            f"An authenticator secret of more than {MAX_SECRET_BYTES} bytes does not fit the column."
        )
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(settings.TOTP_ENCRYPTION_KEY).encrypt(nonce, secret, ASSOCIATED_DATA)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def decrypt(stored: str) -> str:
    """The hex secret of a stored value; UnreadableSecret when no configured key opens it."""
    if not is_encrypted(stored):
        raise UnreadableSecret("An authenticator secret is stored without encryption: run the migrations.")
    body = stored[len(PREFIX) :]
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    for key in [settings.TOTP_ENCRYPTION_KEY, *settings.TOTP_ENCRYPTION_KEY_FALLBACKS]:
        try:
            return _cipher(key).decrypt(nonce, sealed, ASSOCIATED_DATA).hex()
        except InvalidTag:
            continue
    raise UnreadableSecret("No TOTP_ENCRYPTION_KEY (nor a fallback) decrypts a stored authenticator secret.")


# Signal receivers, connected to TOTPDevice in SecurityConfig.ready().


def decrypt_on_load(sender, instance, **kwargs):
    stored = instance.__dict__.get("key")  # absent when the query deferred it
    if not stored:
        return
    if is_encrypted(stored):
        instance.key = decrypt(stored)
    elif instance.pk is not None:
        # A row read from the database with a hex key: written around the encryption.
        raise UnreadableSecret("An authenticator secret is stored without encryption: run the migrations.")


def encrypt_before_save(sender, instance, **kwargs):
    instance._plain_key = instance.key
    instance.key = encrypt(instance.key)


def restore_after_save(sender, instance, **kwargs):
    instance.key = instance.__dict__.pop("_plain_key", instance.key)
