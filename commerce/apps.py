from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = gettext_lazy("Shop modules")

    def ready(self):
        from commerce.signals import on_account_frozen
        from security.freeze import account_frozen

        account_frozen.connect(on_account_frozen, dispatch_uid="commerce.on_account_frozen")
