"""Security state kept in the database, so every web process and worker sees the same."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class UserSession(models.Model):
    """What the Account Security page shows of a signed-in session: device, IP, last seen."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    device = models.CharField(max_length=120, blank=True)
    # How the sign-in's second step passed (accounts.models.SecondStepMethod; blank: none was due).
    second_step = models.CharField(max_length=16, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.user} on {self.device or 'unknown device'}"

    @property
    def opened_with_email_code(self) -> bool:
        return self.second_step == "email"


class LoginFailure(models.Model):
    """A failed sign-in, counted per account and per IP for the lockout (SPEC §7).

    `account` is the canonical key of the typed address (accounts.addresses), known account or
    not; blank once a success or a reset cleared it (the row still counts for its IP). `device` is
    the keyed hash of the browser's known-device cookie when that browser completed a full sign-in
    on this account before: such a browser counts in its own budget, apart from everyone else's.
    """

    account = models.CharField(max_length=254, db_index=True)
    device = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.account} from {self.ip}"


class LoginLockout(models.Model):
    """The account's latest lock against password guessing, and what it refused (SPEC §7).

    A counter beside the append-only log: the log gets one event when a lock begins, and each
    attempt refused while it lasts only adds one here, so a flood cannot push real events off the
    owner's page. The Account Security page shows the number.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_lockout"
    )
    started_at = models.DateTimeField()
    until = models.DateTimeField()
    # Failures in the window when the lock began, and attempts refused since.
    failures = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # When the account holder was last e-mailed about guessing: at most once an hour.
    notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} locked {self.started_at:%Y-%m-%d %H:%M}, {self.refused} refused"

    @property
    def active(self) -> bool:
        return self.until > timezone.now()


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so the last five cannot be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = gettext_lazy("password history")

    def __str__(self):
        return f"{self.user} at {self.created:%Y-%m-%d}"


class RateCounter(models.Model):
    """Requests one client made in one fixed window, counted for the throttles in security/throttles.py."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=1)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class KnownOrigin(models.Model):
    """Where this account completed a full sign-in: a browser (its known-device cookie, hashed) or a
    network (an IPv4 /24 or an IPv6 /48), with when it was first and last seen."""

    class Kind(models.TextChoices):
        DEVICE = "device", gettext_lazy("Browser")
        NETWORK = "network", gettext_lazy("Network")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_origins")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=64)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="known_origin_one_per_user"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.user} first seen {self.first_seen:%Y-%m-%d}"


class EmailChange(models.Model):
    """A request to move the account to a new e-mail address (security/email_change.py).

    It completes when the link sent to the new address is used; a newer request, or the person,
    cancels it. The old address stays the sign-in until then.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(max_length=254)
    new_email = models.EmailField(max_length=254)
    link = models.OneToOneField("notifications.EmailLink", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.old_email} → {self.new_email}"

    @property
    def is_pending(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None and self.expires > timezone.now()


class PasswordVerdict(models.Model):
    """Whether the account's password met the password rules when we last held it in plain text: at a
    sign-in, or when it was set (security/passwords/verdicts.py). The security check-up reads it;
    the password itself is never kept, nor which rule it broke.

    `basis` is a keyed hash of what the verdict depends on (the password's hash, the person's
    details, the rules); when it no longer matches, the verdict is out of date.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="password_verdict"
    )
    passes = models.BooleanField()
    basis = models.CharField(max_length=64)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id}: {'passes' if self.passes else 'breaks a rule'} at {self.checked_at:%Y-%m-%d}"


class KnownDeviceCodeFailures(models.Model):
    """Wrong second-step codes from one browser that completed a full sign-in on the account before:
    its own budget, apart from the account-wide one on User (security/two_step/codes.py), so that
    someone holding the password cannot keep the owner's own browser waiting (SPEC §6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    device = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "device"], name="known_device_code_failures_one_per_device"
            ),
        ]

    def __str__(self):
        return f"{self.failures} wrong codes on a known browser of {self.user}"
