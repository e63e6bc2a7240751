"""E-mailed links: what each one may do, for how long and how often (notifications/links.py)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class EmailLink(models.Model):
    """One link we e-mailed: only a keyed hash of its token is kept, so the table opens nothing.

    `subject` names what the link acts on ("user:5", "alert:12", "invitation:3"); a resend revokes
    the live links of the same purpose and subject. `landing` is the URL name of the token-free page
    the link opens.
    """

    purpose = models.CharField(max_length=32)
    subject = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    landing = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    uses_allowed = models.PositiveSmallIntegerField(default=1)
    uses = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Killed because what it was for was withdrawn (a revoked invitation), not replaced by a newer e-mail.
    withdrawn = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["purpose", "subject"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(uses__lte=F("uses_allowed")), name="email_link_uses_within_allowed"
            )
        ]

    def __str__(self):
        return f"{self.purpose} link for {self.subject or self.user_id}"

    @property
    def uses_left(self) -> int:
        return self.uses_allowed - self.uses
