from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TeamConfig(AppConfig):
    """Sub-accounts: sign-up, the shop's team (User Management), invitations and member settings."""

    name = "team"
    verbose_name = gettext_lazy("Team")

    def ready(self):
        from accounts import panels
        from accounts.invitations import INVITATION_PURPOSE, INVITATION_WITHDRAWN
        from notifications import links
        from security import checkup
        from security.freeze import account_frozen
        from team.checkup import invitations_waiting
        from team.panels import shop_chooser_panel
        from team.signals import on_account_frozen

        panels.register("shops", template="team/partials/shop_chooser.html", context=shop_chooser_panel)
        checkup.register(
            checkup.Item("team.invitations", checkup.Scope.SHOP, invitations_waiting, weight=1, order=70)
        )
        links.register_messages(INVITATION_PURPOSE, withdrawn=INVITATION_WITHDRAWN)
        account_frozen.connect(on_account_frozen, dispatch_uid="team.on_account_frozen")
