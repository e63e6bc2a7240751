from django.urls import path

from security.api import activity, email_change, passwords, sign_in, two_step

urlpatterns = [
    # Signing in and out.
    path("auth/login", sign_in.LoginView.as_view(), name="auth-login"),
    path("auth/logout", sign_in.LogoutView.as_view(), name="auth-logout"),
    # Two-step verification.
    path("auth/verify", two_step.VerifyView.as_view(), name="auth-verify"),
    path("auth/verify/email-code", two_step.EmailCodeView.as_view(), name="auth-verify-email-code"),
    path("account/2sv/step-up", two_step.StepUpView.as_view(), name="two-step-step-up"),
    path("account/2sv/totp", two_step.TotpView.as_view(), name="two-step-totp"),
    path("account/2sv/totp/confirm", two_step.TotpConfirmView.as_view(), name="two-step-totp-confirm"),
    path("account/2sv/recovery-codes", two_step.RecoveryCodesView.as_view(), name="two-step-recovery-codes"),
    # The e-mail address.
    path("account/email", email_change.EmailChangeView.as_view(), name="account-email"),
    # Passwords.
    path("password/check", passwords.PasswordCheckView.as_view(), name="password-check"),
    path("account/password", passwords.PasswordChangeView.as_view(), name="password-change"),
    # Sessions and the security log.
    path("account/sessions", activity.SessionListView.as_view(), name="account-sessions"),
    path("account/sessions/<int:pk>", activity.SessionDetailView.as_view(), name="account-session"),
    path("account/events", activity.AccountEventsView.as_view(), name="account-events"),
    path("shops/<slug:slug>/events", activity.ShopEventsView.as_view(), name="shop-events"),
]
