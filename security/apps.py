from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self):
        # Security's panels on pages of the accounts app (accounts.panels): the e-mail address on
        # Account Information.
        from accounts import panels
        from security import panels as security_panels

        panels.register(
            "account_information",
            template="security/partials/email_address.html",
            context=security_panels.email_address,
            order=10,
        )
