from django.urls import path

from security import api

urlpatterns = [
    path("auth/verify", api.VerifyView.as_view(), name="auth-verify"),
]
