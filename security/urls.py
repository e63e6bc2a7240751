from django.urls import path

from security.views import activity, passwords, two_step

app_name = "security"

urlpatterns = [
    # Two-step verification and the Account Security page.
    path("login/verify/", two_step.login_verify, name="login-verify"),
    path("account/security/", two_step.account_security, name="account-security"),
    path("account/security/step-up/", two_step.step_up, name="step-up"),
    path("account/security/2sv/totp/", two_step.totp_enrol, name="totp-enrol"),
    path("account/security/2sv/disable/", two_step.disable, name="two-step-disable"),
    path("account/security/2sv/recovery-codes/", two_step.recovery_codes, name="recovery-codes"),
    path("account/security/2sv/preferred/", two_step.preferred_method, name="preferred-method"),
    path("shop/<slug:slug>/settings/two-step/", two_step.shop_two_step, name="shop-two-step"),
    # Passwords.
    path("account/password/", passwords.password_change, name="password-change"),
    path("password-reset/", passwords.password_reset, name="password-reset"),
    path("password-reset/done/", passwords.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        passwords.password_reset_confirm,
        name="password-reset-confirm",
    ),
    # Sessions and the security log.
    path("shop/<slug:slug>/security/", activity.shop_events, name="shop-events"),
    path("account/security/events/", activity.account_events, name="account-events"),
    path("account/security/sessions/<int:pk>/end/", activity.end_session, name="session-end"),
    path("account/security/sessions/end-others/", activity.end_other_sessions, name="sessions-end-others"),
    path("account/security/anti-phishing/", activity.anti_phishing_phrase, name="anti-phishing-phrase"),
    path("account/freeze/<str:token>/", activity.freeze, name="freeze"),
]
