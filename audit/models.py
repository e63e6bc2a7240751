"""The security log (SPEC §9): one append-only table, and the one enum of what it records."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventKind(models.TextChoices):
    """Every kind of security event, named scope:resource:action so that they sort and filter well.

    Kinds live here in code only: the column takes any of them without a migration, and
    record_event() refuses anything else.
    """

    # Signing in and out.
    LOGIN_PASSWORD_ACCEPTED = "account:login:password_accepted", "Password accepted, second step due"
    LOGIN_SUCCESS = "account:login:success", "Signed in"
    LOGIN_FAILURE = "account:login:failure", "Sign-in failed"
    LOGIN_LOCKED = "account:login:locked", "Sign-ins paused after repeated wrong passwords"
    LOGOUT = "account:logout", "Signed out"
    NEW_SIGN_IN_ALERT = "account:login:new_device", "Sign-in from a new device or network"
    SESSION_ENDED = "account:session:ended", "Session ended"
    # Two-step verification.
    TWO_STEP_SUCCESS = "account:two_step:success", "Second step passed"
    TWO_STEP_FAILURE = "account:two_step:failure", "Second step failed"
    TWO_STEP_ENABLED = "account:two_step:enabled", "Two-step verification turned on"
    TWO_STEP_DISABLED = "account:two_step:disabled", "Two-step verification turned off"
    TWO_STEP_METHOD_PREFERRED = "account:two_step:method_preferred", "Preferred second-step method changed"
    TWO_STEP_RESET = "account:two_step:reset", "Two-step verification reset by someone else"
    RECOVERY_CODES_REGENERATED = "account:recovery_codes:regenerated", "Recovery codes regenerated"
    RECOVERY_CODE_USED = "account:recovery_codes:used", "Recovery code used"
    # Passwords and account details.
    PASSWORD_CHANGED = "account:password:changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "account:password:reset_requested", "Password reset requested"
    PASSWORD_RESET = "account:password:reset", "Password reset"
    EMAIL_CHANGED = "account:email:changed", "E-mail address changed"
    ANTI_PHISHING_PHRASE_CHANGED = "account:anti_phishing:changed", "Anti-phishing phrase changed"
    # Freezing (SPEC §8).
    ACCOUNT_FROZEN = "account:frozen", "Account frozen"
    ACCOUNT_UNFROZEN = "account:unfrozen", "Account unfrozen"
    # Shops and their members (SPEC §5).
    SHOP_CREATED = "shop:created", "Shop created"
    MEMBER_ADDED = "shop:member:added", "Member added"
    MEMBER_CHANGED = "shop:member:changed", "Member changed"
    MEMBER_SUSPENDED = "shop:member:suspended", "Member suspended"
    MEMBER_REMOVED = "shop:member:removed", "Member removed"
    SHOP_TWO_STEP_REQUIRED = "shop:two_step:required", "Two-step verification required for the shop"
    SHOP_TWO_STEP_OPTIONAL = "shop:two_step:optional", "Two-step verification made optional"
    # The money path (SPEC §6a).
    PAYOUT_ACCOUNT_CHANGED = "shop:payout_account:changed", "Payout account changed"
    # Recovery (SPEC §8).
    RECOVERY_CASE_STEP = "recovery:case:step", "Recovery case step"
    # Shop modules and the money path (commerce: payout account, withdrawals, refunds, exports).
    PAYOUT_ACCOUNT_FLAGGED = "shop:payout_account:flagged", "Payout account flagged for review"
    PAYOUT_ACCOUNT_APPROVED = "shop:payout_account:approved", "Payout account approved by support"
    PAYOUT_ACCOUNT_REJECTED = "shop:payout_account:rejected", "Payout account rejected by support"
    PAYOUT_ACCOUNT_ROLLED_BACK = "shop:payout_account:rolled_back", "Payout account change rolled back"
    WITHDRAWAL_REQUESTED = "shop:withdrawal:requested", "Withdrawal requested"
    WITHDRAWAL_REFUSED = "shop:withdrawal:refused", "Withdrawal refused"
    WITHDRAWAL_PAID = "shop:withdrawal:paid", "Withdrawal paid out"
    WITHDRAWAL_CANCELLED = "shop:withdrawal:cancelled", "Withdrawal cancelled"
    ORDER_REFUNDED = "shop:order:refunded", "Order refunded"
    BILLS_EXPORTED = "shop:bills:exported", "Bills exported"
    # Account Information: the person's details, and the guarded change of their e-mail address.
    PROFILE_CHANGED = "account:profile:changed", "Account information changed"
    EMAIL_CHANGE_REQUESTED = "account:email:change_requested", "E-mail address change requested"
    EMAIL_CHANGE_CANCELLED = "account:email:change_cancelled", "E-mail address change cancelled"
    # The password asked again before two-step settings change.
    REAUTHENTICATION_FAILURE = "account:reauthentication:failure", "Wrong password when confirming it was you"
    # Sub-accounts: sign-up, invitations and the team (SPEC §5).
    ACCOUNT_CREATED = "account:created", "Account created"
    SIGNUP_EXISTING_ACCOUNT = "account:signup:existing_account", "Sign-up attempted with this address"
    INVITATION_SENT = "shop:invitation:sent", "Invitation sent"
    INVITATION_RESENT = "shop:invitation:resent", "Invitation sent again"
    INVITATION_REVOKED = "shop:invitation:revoked", "Invitation revoked"
    MEMBER_REACTIVATED = "shop:member:reactivated", "Member reactivated"
    MEMBER_LEFT = "shop:member:left", "Member left the shop"
    MEMBER_TWO_STEP_RESET = "shop:member:two_step_reset", "Member's two-step verification reset"
    MEMBER_TWO_STEP_REMINDED = "shop:member:two_step_reminded", "Member reminded to turn on two-step"
    SHOP_INVITE_DOMAINS_CHANGED = "shop:invite_domains:changed", "Invitation domains changed"
    # Recovery: what a case does to the account besides its own steps, and hardened recovery.
    PASSWORD_DISABLED = "account:password:disabled", "Password made unusable"
    LOGIN_LOCKOUT_CLEARED = "account:login:lockout_cleared", "Login lockout cleared by support"
    HARDENED_RECOVERY_ON = "account:hardened_recovery:on", "Hardened recovery turned on"
    HARDENED_RECOVERY_OFF_REQUESTED = (
        "account:hardened_recovery:off_requested",
        "Hardened recovery set to end in 7 days",
    )
    HARDENED_RECOVERY_OFF_CANCELLED = "account:hardened_recovery:off_cancelled", "Hardened recovery kept on"


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
            return EventKind(self.kind).label
        except ValueError:
            return self.kind
