"""People, shops (the tenants) and the memberships that join them."""

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.addresses import canonical_email
from permissions.registry import ASSIGNABLE_ROLES, Grant, grants_for

EMAIL_TAKEN = gettext_lazy("An account with this e-mail address already exists.")


class UserQuerySet(models.QuerySet):
    def by_email(self, address: str):
        """The account this address names, compared as canonical_email() keys on every database."""
        return self.filter(email_canonical=canonical_email(address))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for user in objs:
            user.email_canonical = canonical_email(user.email)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        if isinstance(kwargs.get("email"), str):
            kwargs.setdefault("email_canonical", canonical_email(kwargs["email"]))
        return super().update(**kwargs)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # The auth backend's lookup: the same key as every other lookup by address.
        return self.get(email_canonical=canonical_email(email))

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError(_("An e-mail address is required."))
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class SecondStepMethod(models.TextChoices):
    """The ways to pass a second step; the API uses these values (SPEC §10)."""

    TOTP = "totp", gettext_lazy("Authenticator app")
    EMAIL = "email", gettext_lazy("E-mail code")
    RECOVERY_CODE = "recovery_code", gettext_lazy("Recovery code")


# What a person may pick as their usual second step: recovery codes are for emergencies only.
PREFERABLE_METHODS = [
    (SecondStepMethod.TOTP.value, SecondStepMethod.TOTP.label),
    (SecondStepMethod.EMAIL.value, SecondStepMethod.EMAIL.label),
]


class FreezeScope(models.TextChoices):
    """How far a freeze reaches (SPEC §8).

    FULL blocks every device ("This wasn't me", the owner's own freeze, staff, a confirmed case).
    UNPROVEN comes from a recovery request, which carries no proof: it holds money moves and ends the
    sessions, but a device that completed full sign-ins well before the request may still sign in.
    """

    FULL = "full", gettext_lazy("Every device blocked")
    UNPROVEN = "unproven", gettext_lazy("Money held; established devices may sign in")


class User(AbstractBaseUser, PermissionsMixin):
    """A person with one login, who may belong to several shops."""

    email = models.EmailField(gettext_lazy("e-mail address"), max_length=254, unique=True)
    # canonical_email(email), kept by save(): the key of every lookup by address and of the lockout's
    # per-account count. Case folding can lengthen a string (ß → ss), hence the room.
    email_canonical = models.CharField(max_length=1000, unique=True, editable=False)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text=gettext_lazy("Support staff: may sign in to the admin site.")
    )
    date_joined = models.DateTimeField(default=timezone.now)
    preferred_two_step_method = models.CharField(
        max_length=16, choices=PREFERABLE_METHODS, default=SecondStepMethod.TOTP
    )
    anti_phishing_phrase = models.CharField(
        max_length=64,
        blank=True,
        help_text=gettext_lazy(
            "Shown in every e-mail we send, so the user can tell ours from a phishing copy."
        ),
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        help_text=gettext_lazy("IANA name of the zone pages show times in, such as Europe/Berlin."),
    )
    frozen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "Set while the account is frozen for recovery: sign-ins and payouts are refused."
        ),
    )
    frozen_reason = models.CharField(max_length=200, blank=True)
    freeze_scope = models.CharField(max_length=16, choices=FreezeScope.choices, blank=True)
    # The account-wide throttle on second-step codes: it spans devices and sessions, so neither a new
    # session nor switching between app, e-mail and recovery codes resets it.
    two_step_failures = models.PositiveIntegerField(default=0)
    two_step_last_failure_at = models.DateTimeField(null=True, blank=True)
    # Hardened recovery (SPEC §8): approving a recovery case of this account takes two support agents.
    # Turning it off takes effect only at hardened_recovery_ends_at, 7 days after it was asked for.
    hardened_recovery = models.BooleanField(default=False)
    hardened_recovery_ends_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email_canonical = canonical_email(self.email)
        taken = type(self).objects.filter(email_canonical=self.email_canonical).exclude(pk=self.pk)
        if self.email and taken.exists():
            raise ValidationError({"email": EMAIL_TAKEN}, code="unique")

    def save(self, *args, **kwargs):
        self.email_canonical = canonical_email(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_canonical"}
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_fully_frozen(self) -> bool:
        return self.frozen_at is not None and self.freeze_scope != FreezeScope.UNPROVEN

    @property
    def has_hardened_recovery(self) -> bool:
        """On, including the 7 days after turning it off was asked for."""
        ends_at = self.hardened_recovery_ends_at
        return self.hardened_recovery and (ends_at is None or ends_at > timezone.now())

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email


# The currencies a shop may sell and be paid out in (ISO 4217 codes). Their minor units (JPY 0, USD 2,
# KWD 3) come from CLDR through babel (commerce/money.py); tests hold them to ISO 4217's table.
SHOP_CURRENCIES = (
    ("USD", gettext_lazy("US dollar")),
    ("EUR", gettext_lazy("Euro")),
    ("GBP", gettext_lazy("British pound")),
    ("JPY", gettext_lazy("Japanese yen")),
    ("KRW", gettext_lazy("South Korean won")),
    ("CNY", gettext_lazy("Chinese yuan")),
    ("HKD", gettext_lazy("Hong Kong dollar")),
    ("TWD", gettext_lazy("New Taiwan dollar")),
    ("SGD", gettext_lazy("Singapore dollar")),
    ("MYR", gettext_lazy("Malaysian ringgit")),
    ("THB", gettext_lazy("Thai baht")),
    ("IDR", gettext_lazy("Indonesian rupiah")),
    ("PHP", gettext_lazy("Philippine peso")),
    ("VND", gettext_lazy("Vietnamese dong")),
    ("INR", gettext_lazy("Indian rupee")),
    ("AUD", gettext_lazy("Australian dollar")),
    ("CAD", gettext_lazy("Canadian dollar")),
    ("BRL", gettext_lazy("Brazilian real")),
    ("MXN", gettext_lazy("Mexican peso")),
    ("CHF", gettext_lazy("Swiss franc")),
    ("SEK", gettext_lazy("Swedish krona")),
    ("PLN", gettext_lazy("Polish zloty")),
    ("AED", gettext_lazy("UAE dirham")),
    ("SAR", gettext_lazy("Saudi riyal")),
    ("KWD", gettext_lazy("Kuwaiti dinar")),
    ("BHD", gettext_lazy("Bahraini dinar")),
    ("OMR", gettext_lazy("Omani rial")),
    ("JOD", gettext_lazy("Jordanian dinar")),
)


class Shop(models.Model):
    """The tenant: every piece of seller data belongs to exactly one shop."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    # Exactly one owner per shop, and it cannot be deleted out from under the shop.
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_shops")
    require_two_step = models.BooleanField(
        default=False, help_text=gettext_lazy("Members without two-step verification must enrol first.")
    )
    # The company's e-mail domains, lower case ("example.com"); invitations go to these only. Empty: any.
    invite_domains = models.JSONField(default=list, blank=True)
    # ISO 4217: every amount of the shop is in this currency, at its precision. Set when the shop
    # opens; it does not change afterwards, since amounts already recorded are in it.
    currency = models.CharField(max_length=3, choices=SHOP_CURRENCIES, default="USD")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(currency__in=[code for code, _ in SHOP_CURRENCIES]),
                name="shop_currency_known",
            ),
        ]

    def __str__(self):
        return self.name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    SUSPENDED = "suspended", gettext_lazy("Suspended")


class Membership(models.Model):
    """A person's place in a shop: their roles there, and whether they may use it now."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    # Role names from permissions.registry; the owner role is implied by Shop.owner.
    roles = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="membership_one_per_user_shop"),
            models.CheckConstraint(
                condition=models.Q(status__in=MembershipStatus.values),
                name="membership_status_valid",
            ),
        ]
        ordering = ["shop__name", "user__email"]
        permissions = [
            ("suspend_membership", gettext_lazy("Can suspend a member in an emergency, with a reason"))
        ]

    def __str__(self):
        return f"{self.user} in {self.shop}"

    @property
    def is_owner(self) -> bool:
        return self.shop.owner_id == self.user_id

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def role_names(self) -> list[str]:
        """The roles to show, the implied owner role first."""
        names = [name for name in self.roles if name in ASSIGNABLE_ROLES]
        return ["owner", *names] if self.is_owner else names

    @cached_property
    def grants(self) -> frozenset[Grant]:
        return grants_for(self.roles, is_owner=self.is_owner)

    def has(self, grant: Grant) -> bool:
        return grant in self.grants


# Sub-accounts: invitations and sign-ups (SPEC §5).


class InvitationStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    REVOKED = "revoked", gettext_lazy("Revoked")
    # A pending invitation that ran out and was replaced by a new one to the same address.
    EXPIRED = "expired", gettext_lazy("Expired")


class Invitation(models.Model):
    """An e-mailed offer to join a shop with these roles: single use, 72 hours, revocable.

    The link itself is a notifications.EmailLink whose subject is `subject`; only one invitation per
    shop and address is pending at a time.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="invitations")
    # Lower case, as User.email is stored.
    email = models.EmailField(gettext_lazy("e-mail address"), max_length=254)
    roles = models.JSONField(default=list)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created = models.DateTimeField(default=timezone.now)
    # When the latest e-mail went out, and when its link stops working.
    sent_at = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                models.F("shop"),
                Lower("email"),
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_address",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["shop", "status", "-created"], name="invitation_shop_status_idx")]
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.email} to {self.shop}"

    @property
    def subject(self) -> str:
        """The subject of its e-mailed link (notifications.links)."""
        return f"invitation:{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def shown_status(self) -> str:
        """ "expired" for a pending invitation whose link ran out, else the stored status."""
        if self.is_pending and self.is_expired:
            return InvitationStatus.EXPIRED.value
        return self.status


class SignupRequest(models.Model):
    """A sign-up waiting for its address to be confirmed: no account or shop exists until the
    e-mailed link is used.

    Each attempt keeps its own password hash and link, so a sign-up someone else started with your
    address can never give your account their password (pre-account takeover): confirming asks for
    the password of this very attempt.
    """

    email = models.EmailField(gettext_lazy("e-mail address"), max_length=254, db_index=True)
    # A hash, exactly as User.password holds one.
    password = models.CharField(max_length=128)
    shop_name = models.CharField(max_length=120)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"sign-up of {self.email}"

    @property
    def subject(self) -> str:
        return f"signup:{self.pk}"
