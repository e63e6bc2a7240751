from django.urls import path

from security.api import two_step

urlpatterns = [
    # Two-step verification.
    path("auth/verify", two_step.VerifyView.as_view(), name="auth-verify"),
    # Passwords.
    # Sessions and the security log.
]
