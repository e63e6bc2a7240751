from django.apps import AppConfig
from django.db.models.signals import post_init, post_save, pre_save
from django.utils.translation import gettext_lazy


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = gettext_lazy("Security")

    def ready(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts import panels
        from security import panels as security_panels
        from security.checkup_items import register_items
        from security.two_step import secret_storage

        # Authenticator secrets are encrypted at rest (security/two_step/secret_storage.py).
        post_init.connect(secret_storage.decrypt_on_load, sender=TOTPDevice, dispatch_uid="totp-key-decrypt")
        pre_save.connect(
            secret_storage.encrypt_before_save, sender=TOTPDevice, dispatch_uid="totp-key-encrypt"
        )
        post_save.connect(
            secret_storage.restore_after_save, sender=TOTPDevice, dispatch_uid="totp-key-restore"
        )

        # Security's panels on pages of the accounts app and on every shop page (accounts.panels),
        # and its own items of the security check-up (security.checkup).
        register_items()
        panels.register(
            "account_information",
            template="security/partials/email_address.html",
            context=security_panels.email_address,
            order=10,
        )
        panels.register(
            "dashboard",
            template="security/partials/checkup.html",
            context=security_panels.checkup_on_dashboard,
        )
        panels.register(
            "account_security",
            template="security/partials/checkup.html",
            context=security_panels.checkup_on_account_security,
        )
        panels.register(
            "shop_page",
            template="security/partials/two_step_prompt.html",
            context=security_panels.two_step_prompt,
            order=10,
        )
