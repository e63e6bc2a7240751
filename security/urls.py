from django.urls import path

from security.views import activity, passwords, two_step

app_name = "security"

urlpatterns = [
    # Two-step verification and the Account Security page.
    path("login/verify/", two_step.login_verify, name="login-verify"),
    path("account/security/", two_step.account_security, name="account-security"),
    # Passwords.
    path("account/password/", passwords.password_change, name="password-change"),
    path("password-reset/", passwords.password_reset, name="password-reset"),
    # Sessions and the security log.
    path("shop/<slug:slug>/security/", activity.shop_events, name="shop-events"),
]
