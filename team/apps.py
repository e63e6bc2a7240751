from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TeamConfig(AppConfig):
    """Sub-accounts: sign-up, the shop's team (User Management), invitations and member settings."""

    name = "team"
    verbose_name = gettext_lazy("Team")

    def ready(self):
        from accounts import panels
        from security import checkup
        from team.checkup import invitations_waiting
        from team.panels import shop_chooser_panel

        panels.register("shops", template="team/partials/shop_chooser.html", context=shop_chooser_panel)
        checkup.register(
            checkup.Item("team.invitations", checkup.Scope.SHOP, invitations_waiting, weight=1, order=70)
        )
