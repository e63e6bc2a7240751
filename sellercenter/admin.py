"""The admin site support staff work in: only staff who passed two-step verification get in."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse


class SellerCenterAdminSite(admin.AdminSite):
    site_header = "Seller Center support"
    site_title = "Seller Center support"
    index_title = "Accounts, shops and security"

    def has_permission(self, request):
        # Support staff can unfreeze accounts and change memberships: a phished password alone
        # must not reach that.
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        """Staff sign in through the product's login (lockout, second step, session records)."""
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{request.GET.urlencode()}")
        if user.is_active and user.is_staff and not user.is_verified():
            messages.warning(
                request,
                "The support admin needs two-step verification. Turn on the authenticator app, "
                "then open the admin again.",
            )
            return redirect("security:account-security")
        return redirect("accounts:shops")
