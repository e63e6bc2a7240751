"""Authenticator secrets are encrypted at rest with a key kept apart from the database."""

import pyotp
import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.two_step import devices, secret_storage
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def stored_key(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def test_the_database_holds_no_usable_secret(user_with_totp):
    device = devices.totp_device(user_with_totp)
    stored = stored_key(device)
    assert stored.startswith("enc1:") and len(stored) <= 80
    assert device.key not in stored and devices.base32_secret(device) not in stored
    assert bytes.fromhex(device.key) == device.bin_key


def test_codes_still_verify_and_every_save_keeps_the_column_encrypted(fully_signed_in, user_with_totp):
    fully_signed_in(user_with_totp)  # verify_token saved the device (last_t) on the way
    device = TOTPDevice.objects.get(user=user_with_totp)
    assert device.last_t > 0
    assert stored_key(device).startswith("enc1:")
    assert pyotp.TOTP(devices.base32_secret(device)).now() == totp_code(user_with_totp)


def test_each_save_uses_a_new_nonce(user_with_totp):
    device = devices.totp_device(user_with_totp)
    first = stored_key(device)
    device.save()
    assert stored_key(device) != first
    assert TOTPDevice.objects.get(pk=device.pk).key == device.key


def test_a_key_written_around_the_encryption_is_refused_not_trusted(user_with_totp):
    device = devices.totp_device(user_with_totp)
    TOTPDevice.objects.filter(pk=device.pk).update(key="00" * 20)
    with pytest.raises(secret_storage.UnreadableSecret):
        TOTPDevice.objects.get(pk=device.pk)


def test_another_key_cannot_read_it_and_a_fallback_can(user_with_totp, settings):
    device = devices.totp_device(user_with_totp)
    old_key = settings.TOTP_ENCRYPTION_KEY
    settings.TOTP_ENCRYPTION_KEY = secret_storage.new_key()
    with pytest.raises(secret_storage.UnreadableSecret):
        TOTPDevice.objects.get(pk=device.pk)
    settings.TOTP_ENCRYPTION_KEY_FALLBACKS = [old_key]
    rotated = TOTPDevice.objects.get(pk=device.pk)
    assert rotated.key == device.key
    rotated.save()  # written again under the new key
    settings.TOTP_ENCRYPTION_KEY_FALLBACKS = []
    assert TOTPDevice.objects.get(pk=device.pk).key == device.key


def test_a_malformed_key_setting_is_a_clear_configuration_error(user_with_totp, settings):
    settings.TOTP_ENCRYPTION_KEY = "too-short"
    with pytest.raises(secret_storage.UnreadableSecret.__mro__[1], match="32 random bytes"):
        devices.totp_device(user_with_totp)


def test_the_migration_encrypts_secrets_stored_in_clear_and_back(user_with_totp):
    from importlib import import_module

    from django.db.migrations.executor import MigrationExecutor

    # The models as the migration sees them: without the app's signals.
    apps = MigrationExecutor(connection).loader.project_state(("security", "0012_encrypt_totp_secrets")).apps
    migration = import_module("security.migrations.0012_encrypt_totp_secrets")
    device = devices.totp_device(user_with_totp)
    migration.decrypt_secrets(apps, None)
    assert stored_key(device) == device.key
    migration.encrypt_secrets(apps, None)
    assert stored_key(device).startswith("enc1:")
    assert devices.totp_device(user_with_totp).key == device.key
