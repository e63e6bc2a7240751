from django.contrib.admin.apps import AdminConfig


class SellerCenterAdminConfig(AdminConfig):
    default_site = "sellercenter.admin.SellerCenterAdminSite"
