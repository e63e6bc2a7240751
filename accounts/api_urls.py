from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/csrf", api.CsrfView.as_view(), name="auth-csrf"),
    path("me", api.MeView.as_view(), name="me"),
    path("account/profile", api.ProfileView.as_view(), name="account-profile"),
]
