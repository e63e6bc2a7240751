from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RecoveryConfig(AppConfig):
    """Recovery of a compromised account (SPEC §8): cases, documents, review, four eyes, unfreezing."""

    name = "recovery"
    verbose_name = gettext_lazy("Account recovery")

    def ready(self):
        from accounts import panels
        from notifications import links
        from recovery import receivers
        from recovery.services import notices
        from recovery.views import owner

        receivers.connect()
        links.register_messages(notices.UPLOAD_PURPOSE, used=notices.UPLOAD_LINK_USED_UP)
        panels.register(
            "account_security",
            template="recovery/panels/account_security.html",
            context=owner.account_security_panel,
            order=10,
        )
