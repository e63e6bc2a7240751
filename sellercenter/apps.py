from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy


class SellerCenterConfig(AppConfig):
    """The project package: settings, URLs, the admin site, the API plumbing and commands."""

    name = "sellercenter"
    verbose_name = gettext_lazy("Seller Center")


class SellerCenterAdminConfig(AdminConfig):
    default_site = "sellercenter.admin.SellerCenterAdminSite"
