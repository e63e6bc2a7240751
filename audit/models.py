"""The security log (SPEC §9): one append-only table, and the one enum of what it records."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class EventKind(models.TextChoices):
    """Every kind of security event, named scope:resource:action so that they sort and filter well.

    Kinds live here in code only: the column takes any of them without a migration, and
    record_event() refuses anything else.
    """

    # Signing in and out.
    LOGIN_PASSWORD_ACCEPTED = (
        "account:login:password_accepted",
        gettext_lazy("Password accepted, second step due"),
    )
    LOGIN_SUCCESS = "account:login:success", gettext_lazy("Signed in")
    LOGIN_FAILURE = "account:login:failure", gettext_lazy("Sign-in failed")
    LOGIN_LOCKED = "account:login:locked", gettext_lazy("Sign-ins paused after repeated wrong passwords")
    LOGOUT = "account:logout", gettext_lazy("Signed out")
    NEW_SIGN_IN_ALERT = "account:login:new_device", gettext_lazy("Sign-in from a new device or network")
    SESSION_ENDED = "account:session:ended", gettext_lazy("Session ended")
    # Two-step verification.
    TWO_STEP_SUCCESS = "account:two_step:success", gettext_lazy("Second step passed")
    TWO_STEP_FAILURE = "account:two_step:failure", gettext_lazy("Second step failed")
    TWO_STEP_ENABLED = "account:two_step:enabled", gettext_lazy("Two-step verification turned on")
    TWO_STEP_DISABLED = "account:two_step:disabled", gettext_lazy("Two-step verification turned off")
    TWO_STEP_METHOD_PREFERRED = (
        "account:two_step:method_preferred",
        gettext_lazy("Preferred second-step method changed"),
    )
    TWO_STEP_RESET = "account:two_step:reset", gettext_lazy("Two-step verification reset by someone else")
    RECOVERY_CODES_REGENERATED = (
        "account:recovery_codes:regenerated",
        gettext_lazy("Recovery codes regenerated"),
    )
    RECOVERY_CODE_USED = "account:recovery_codes:used", gettext_lazy("Recovery code used")
    # Passwords and account details.
    PASSWORD_CHANGED = "account:password:changed", gettext_lazy("Password changed")
    PASSWORD_RESET_REQUESTED = "account:password:reset_requested", gettext_lazy("Password reset requested")
    PASSWORD_RESET = "account:password:reset", gettext_lazy("Password reset")
    EMAIL_CHANGED = "account:email:changed", gettext_lazy("E-mail address changed")
    ANTI_PHISHING_PHRASE_CHANGED = (
        "account:anti_phishing:changed",
        gettext_lazy("Anti-phishing phrase changed"),
    )
    # Freezing (SPEC §8).
    ACCOUNT_FROZEN = "account:frozen", gettext_lazy("Account frozen")
    ACCOUNT_UNFROZEN = "account:unfrozen", gettext_lazy("Account unfrozen")
    # Shops and their members (SPEC §5).
    SHOP_CREATED = "shop:created", gettext_lazy("Shop created")
    MEMBER_ADDED = "shop:member:added", gettext_lazy("Member added")
    MEMBER_CHANGED = "shop:member:changed", gettext_lazy("Member changed")
    MEMBER_SUSPENDED = "shop:member:suspended", gettext_lazy("Member suspended")
    MEMBER_REMOVED = "shop:member:removed", gettext_lazy("Member removed")
    SHOP_TWO_STEP_REQUIRED = (
        "shop:two_step:required",
        gettext_lazy("Two-step verification required for the shop"),
    )
    SHOP_TWO_STEP_OPTIONAL = "shop:two_step:optional", gettext_lazy("Two-step verification made optional")
    # The money path (SPEC §6a).
    PAYOUT_ACCOUNT_CHANGED = "shop:payout_account:changed", gettext_lazy("Payout account changed")
    # Recovery (SPEC §8).
    RECOVERY_CASE_STEP = "recovery:case:step", gettext_lazy("Recovery case step")
    # Shop modules and the money path (commerce: payout account, withdrawals, refunds, exports).
    PAYOUT_ACCOUNT_FLAGGED = "shop:payout_account:flagged", gettext_lazy("Payout account flagged for review")
    PAYOUT_ACCOUNT_APPROVED = (
        "shop:payout_account:approved",
        gettext_lazy("Payout account approved by support"),
    )
    PAYOUT_ACCOUNT_REJECTED = (
        "shop:payout_account:rejected",
        gettext_lazy("Payout account rejected by support"),
    )
    PAYOUT_ACCOUNT_ROLLED_BACK = (
        "shop:payout_account:rolled_back",
        gettext_lazy("Payout account change rolled back"),
    )
    WITHDRAWAL_REQUESTED = "shop:withdrawal:requested", gettext_lazy("Withdrawal requested")
    WITHDRAWAL_REFUSED = "shop:withdrawal:refused", gettext_lazy("Withdrawal refused")
    WITHDRAWAL_PAID = "shop:withdrawal:paid", gettext_lazy("Withdrawal paid out")
    WITHDRAWAL_CANCELLED = "shop:withdrawal:cancelled", gettext_lazy("Withdrawal cancelled")
    ORDER_REFUNDED = "shop:order:refunded", gettext_lazy("Order refunded")
    BILLS_EXPORTED = "shop:bills:exported", gettext_lazy("Bills exported")
    # Account Information: the person's details, and the guarded change of their e-mail address.
    PROFILE_CHANGED = "account:profile:changed", gettext_lazy("Account information changed")
    EMAIL_CHANGE_REQUESTED = "account:email:change_requested", gettext_lazy("E-mail address change requested")
    EMAIL_CHANGE_CANCELLED = "account:email:change_cancelled", gettext_lazy("E-mail address change cancelled")
    # The password asked again before two-step settings change.
    REAUTHENTICATION_FAILURE = (
        "account:reauthentication:failure",
        gettext_lazy("Wrong password when confirming it was you"),
    )
    # Sub-accounts: sign-up, invitations and the team (SPEC §5).
    ACCOUNT_CREATED = "account:created", gettext_lazy("Account created")
    SIGNUP_EXISTING_ACCOUNT = (
        "account:signup:existing_account",
        gettext_lazy("Sign-up attempted with this address"),
    )
    INVITATION_SENT = "shop:invitation:sent", gettext_lazy("Invitation sent")
    INVITATION_RESENT = "shop:invitation:resent", gettext_lazy("Invitation sent again")
    INVITATION_REVOKED = "shop:invitation:revoked", gettext_lazy("Invitation revoked")
    MEMBER_REACTIVATED = "shop:member:reactivated", gettext_lazy("Member reactivated")
    MEMBER_LEFT = "shop:member:left", gettext_lazy("Member left the shop")
    MEMBER_TWO_STEP_RESET = "shop:member:two_step_reset", gettext_lazy("Member's two-step verification reset")
    MEMBER_TWO_STEP_REMINDED = (
        "shop:member:two_step_reminded",
        gettext_lazy("Member reminded to turn on two-step"),
    )
    SHOP_INVITE_DOMAINS_CHANGED = "shop:invite_domains:changed", gettext_lazy("Invitation domains changed")
    # Recovery: what a case does to the account besides its own steps, and hardened recovery.
    PASSWORD_DISABLED = "account:password:disabled", gettext_lazy("Password made unusable")
    LOGIN_LOCKOUT_CLEARED = "account:login:lockout_cleared", gettext_lazy("Login lockout cleared by support")
    HARDENED_RECOVERY_ON = "account:hardened_recovery:on", gettext_lazy("Hardened recovery turned on")
    HARDENED_RECOVERY_OFF_REQUESTED = (
        "account:hardened_recovery:off_requested",
        gettext_lazy("Hardened recovery set to end in 7 days"),
    )
    HARDENED_RECOVERY_OFF_CANCELLED = (
        "account:hardened_recovery:off_cancelled",
        gettext_lazy("Hardened recovery kept on"),
    )


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The security log is append-only.")

    def delete(self):
        raise TypeError("The security log is append-only.")


class SecurityEvent(models.Model):
    """One row of the append-only security log (SPEC §9).

    Rows outlive the people and shops they are about: deleting either leaves the log untouched (no
    SET_NULL rewriting it, no database constraint to stop the delete), and `user_email` keeps who
    the event was about as they were then. On PostgreSQL the database itself refuses UPDATE and
    DELETE of the table (a trigger, audit/migrations/0003).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="security_events",
    )
    # The person's e-mail address when the event was recorded.
    user_email = models.CharField(max_length=254, blank=True)
    shop = models.ForeignKey(
        "accounts.Shop",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="security_events",
    )
    # One of EventKind's values; no `choices`, so that a new kind needs no migration.
    kind = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["user", "-created"], name="security_se_user_id_20cdf4_idx"),
            models.Index(fields=["shop", "-created"], name="security_se_shop_id_7e4bf7_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.user_email or self.user_id} {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The security log is append-only.")

    def get_kind_display(self) -> str:
        try:
            return str(EventKind(self.kind).label)
        except ValueError:
            return self.kind
