from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self):
        # Security's panels on pages of the accounts app and on every shop page (accounts.panels),
        # and its own items of the security check-up (security.checkup).
        from accounts import panels
        from security import panels as security_panels
        from security.checkup_items import register_items

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
