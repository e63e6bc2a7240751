# Authenticator secrets stored in clear by django-otp are encrypted with TOTP_ENCRYPTION_KEY
# (security/two_step/secret_storage.py); reversing decrypts them again.

from django.db import migrations


def encrypt_secrets(apps, schema_editor):
    from security.two_step.secret_storage import encrypt, is_encrypted

    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.only("pk", "key").iterator():
        if not is_encrypted(device.key):
            TOTPDevice.objects.filter(pk=device.pk).update(key=encrypt(device.key))


def decrypt_secrets(apps, schema_editor):
    from security.two_step.secret_storage import decrypt, is_encrypted

    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.only("pk", "key").iterator():
        if is_encrypted(device.key):
            TOTPDevice.objects.filter(pk=device.pk).update(key=decrypt(device.key))


class Migration(migrations.Migration):

    dependencies = [
        ("security", "0011_session_second_step_method"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
    ]
