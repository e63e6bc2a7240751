from django.urls import path

from security.views import activity, email_change, passwords, sign_in, two_step

app_name = "security"

urlpatterns = [
    # Signing in and out.
    path("login/", sign_in.login_view, name="login"),
    path("login/verify/", sign_in.login_verify, name="login-verify"),
    path("logout/", sign_in.logout_view, name="logout"),
    # Two-step verification and the Account Security page.
    path("account/security/", two_step.account_security, name="account-security"),
    path("account/security/step-up/", two_step.step_up, name="step-up"),
    path("account/security/2sv/totp/", two_step.totp_enrol, name="totp-enrol"),
    path("account/security/2sv/disable/", two_step.disable, name="two-step-disable"),
    path("account/security/2sv/recovery-codes/", two_step.recovery_codes, name="recovery-codes"),
    path("account/security/2sv/preferred/", two_step.preferred_method, name="preferred-method"),
    path("shop/<slug:slug>/settings/two-step/", two_step.shop_two_step, name="shop-two-step"),
    # The e-mail address (on Account Information).
    path("account/information/email/", email_change.change, name="email-change"),
    path("account/information/email/cancel/", email_change.cancel, name="email-change-cancel"),
    path("account/information/email/confirm/", email_change.confirm, name="email-change-confirm"),
    # Passwords.
    path("account/password/", passwords.password_change, name="password-change"),
    path("password-reset/", passwords.password_reset, name="password-reset"),
    path("password-reset/done/", passwords.password_reset_done, name="password-reset-done"),
    path("password-reset/new-password/", passwords.password_reset_confirm, name="password-reset-confirm"),
    # Sessions, the security log and freezing.
    path("shop/<slug:slug>/security/", activity.shop_events, name="shop-events"),
    path("account/security/events/", activity.account_events, name="account-events"),
    path("account/security/sessions/<int:pk>/end/", activity.end_session, name="session-end"),
    path("account/security/sessions/end-others/", activity.end_other_sessions, name="sessions-end-others"),
    path("account/freeze/", activity.freeze, name="freeze"),
]
