from django.apps import AppConfig
from django.db.models.signals import post_init, post_save, pre_save


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from security.two_step import secret_storage

        # Authenticator secrets are encrypted at rest (security/two_step/secret_storage.py).
        post_init.connect(secret_storage.decrypt_on_load, sender=TOTPDevice, dispatch_uid="totp-key-decrypt")
        pre_save.connect(
            secret_storage.encrypt_before_save, sender=TOTPDevice, dispatch_uid="totp-key-encrypt"
        )
        post_save.connect(
            secret_storage.restore_after_save, sender=TOTPDevice, dispatch_uid="totp-key-restore"
        )
