from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PermissionsConfig(AppConfig):
    name = "permissions"
    verbose_name = gettext_lazy("Roles and grants")
