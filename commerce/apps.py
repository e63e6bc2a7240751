from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommerceConfig(AppConfig):
    """The shop modules: catalogue, orders, finance and the payout account, marketing, customer service."""

    name = "commerce"
    verbose_name = gettext_lazy("Shop modules")

    def ready(self):
        from commerce.checkup import payout_account_changed
        from commerce.signals import on_account_frozen
        from security import checkup
        from security.freeze import account_frozen

        account_frozen.connect(on_account_frozen, dispatch_uid="commerce.on_account_frozen")
        # Weighted like the members' second step: a changed payout account is what a takeover is for.
        checkup.register(
            checkup.Item(
                "commerce.payout_account", checkup.Scope.SHOP, payout_account_changed, weight=2, order=75
            )
        )
