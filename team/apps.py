from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TeamConfig(AppConfig):
    """Sub-accounts: sign-up, the shop's team (User Management), invitations and member settings."""

    name = "team"
    verbose_name = gettext_lazy("Team")

    def ready(self):
        from accounts import panels
        from team.panels import shop_chooser_panel

        panels.register("shops", template="team/partials/shop_chooser.html", context=shop_chooser_panel)
