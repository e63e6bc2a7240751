from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SellerCenterConfig(AppConfig):
    """The project package: settings, URLs, the admin site, the API plumbing and commands."""

    name = "sellercenter"
    verbose_name = "Seller Center"


class SellerCenterAdminConfig(AdminConfig):
    default_site = "sellercenter.admin.SellerCenterAdminSite"
