from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = "Shop modules"

    def ready(self):
        from commerce.signals import on_account_frozen
        from security.freeze import account_frozen

        account_frozen.connect(on_account_frozen, dispatch_uid="commerce.on_account_frozen")
