from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("login/verify/", views.login_verify, name="login-verify"),
]
urlpatterns += [
    path("account/security/", views.account_security, name="account-security"),
    path("account/password/", views.password_change, name="password-change"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("shop/<slug:slug>/security/", views.shop_events, name="shop-events"),
]
