"""Security state kept in the database, so every web process and worker sees the same."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventKind(models.TextChoices):
    """Event names as scope:resource:action, so they sort and filter well."""

    LOGIN_SUCCESS = "account:login:success", "Signed in"
    LOGIN_FAILURE = "account:login:failure", "Sign-in failed"
    LOGIN_LOCKED = "account:login:locked", "Sign-in refused by the lockout"
    LOGOUT = "account:logout", "Signed out"
    TWO_STEP_SUCCESS = "account:two_step:success", "Second step passed"
    TWO_STEP_FAILURE = "account:two_step:failure", "Second step failed"
    TWO_STEP_ENABLED = "account:two_step:enabled", "Two-step verification turned on"
    TWO_STEP_DISABLED = "account:two_step:disabled", "Two-step verification turned off"
    RECOVERY_CODES_REGENERATED = "account:recovery_codes:regenerated", "Recovery codes regenerated"
    RECOVERY_CODE_USED = "account:recovery_codes:used", "Recovery code used"
    PASSWORD_CHANGED = "account:password:changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "account:password:reset_requested", "Password reset requested"
    PASSWORD_RESET = "account:password:reset", "Password reset"
    SESSION_ENDED = "account:session:ended", "Session ended"
    NEW_SIGN_IN_ALERT = "account:login:new_device", "Sign-in from a new device or IP"
    ACCOUNT_FROZEN = "account:frozen", "Account frozen"
    ACCOUNT_UNFROZEN = "account:unfrozen", "Account unfrozen"
    ANTI_PHISHING_PHRASE_CHANGED = "account:anti_phishing:changed", "Anti-phishing phrase changed"
    MEMBER_ADDED = "shop:member:added", "Member added"
    MEMBER_CHANGED = "shop:member:changed", "Member changed"
    MEMBER_SUSPENDED = "shop:member:suspended", "Member suspended"
    MEMBER_REMOVED = "shop:member:removed", "Member removed"
    SHOP_TWO_STEP_REQUIRED = "shop:two_step:required", "Two-step verification required for the shop"
    SHOP_TWO_STEP_OPTIONAL = "shop:two_step:optional", "Two-step verification made optional"
    PAYOUT_ACCOUNT_CHANGED = "shop:payout_account:changed", "Payout account changed"
    RECOVERY_CASE_STEP = "recovery:case:step", "Recovery case step"


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The security log is append-only.")

    def delete(self):
        raise TypeError("The security log is append-only.")


class SecurityEvent(models.Model):
    """One row of the append-only security log (SPEC §9)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    shop = models.ForeignKey(
        "accounts.Shop",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    kind = models.CharField(max_length=64, choices=EventKind.choices, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["user", "-created"]),
            models.Index(fields=["shop", "-created"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.user_id} {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The security log is append-only.")


class UserSession(models.Model):
    """What the Account Security page shows of a signed-in session: device, IP, last seen."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    device = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.user} on {self.device or 'unknown device'}"


class LoginFailure(models.Model):
    """A failed sign-in, counted per account and per IP for the lockout (SPEC §7)."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.email} from {self.ip}"


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so the last five cannot be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "password history"

    def __str__(self):
        return f"{self.user} at {self.created:%Y-%m-%d}"


class FreezeLinkUse(models.Model):
    """Marks a new-sign-in alert's "This wasn't me" link as used: one row per alert, ever."""

    alert = models.OneToOneField(SecurityEvent, on_delete=models.PROTECT, related_name="freeze_link_use")
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"freeze link of alert {self.alert_id} used {self.used_at:%Y-%m-%d %H:%M}"


class RateCounter(models.Model):
    """Requests one client made in one fixed window, counted for the throttles in security/throttles.py."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=1)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
