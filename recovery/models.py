"""Recovery cases (SPEC §8): the case and its transition table, the requests that opened or joined it,
its documents, its timeline, and the e-mails it still has to send.

A case moves only through the transitions declared on RecoveryCase (django-fsm): the status field is
protected, so no code can assign it directly, and a transition the table does not list raises
TransitionNotAllowed. Services take the case's row lock before calling one (recovery/services/).
"""

import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from django_fsm.signals import post_transition


class CaseStatus(models.TextChoices):
    AWAITING_DOCUMENTS = "awaiting_documents", gettext_lazy("Waiting for documents")
    IN_REVIEW = "in_review", gettext_lazy("Waiting for review")
    SECOND_APPROVAL = "second_approval", gettext_lazy("Waiting for a second approval")
    APPROVED = "approved", gettext_lazy("Approved: the owner sets a new password")
    RESTORED = "restored", gettext_lazy("Closed: access restored")
    REJECTED = "rejected", gettext_lazy("Closed: rejected")
    CANCELLED = "cancelled", gettext_lazy("Closed: cancelled by the account holder")
    FALSE_ALARM = "false_alarm", gettext_lazy("Closed: false alarm, unfrozen")
    EXPIRED = "expired", gettext_lazy("Closed: no documents in time")


S = CaseStatus
OPEN_STATUSES = (S.AWAITING_DOCUMENTS, S.IN_REVIEW, S.SECOND_APPROVAL, S.APPROVED)
CLOSED_STATUSES = (S.RESTORED, S.REJECTED, S.CANCELLED, S.FALSE_ALARM, S.EXPIRED)
# Before a decision: the person may still send documents, support may still decide either way.
UNDECIDED = (S.AWAITING_DOCUMENTS, S.IN_REVIEW, S.SECOND_APPROVAL)
ACCEPTS_DOCUMENTS = (S.AWAITING_DOCUMENTS, S.IN_REVIEW)
# Waiting for support staff (the 48-hour reminder counts from when the case got here).
WAITING_FOR_STAFF = (S.IN_REVIEW, S.SECOND_APPROVAL)


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", gettext_lazy("Identity document")
    OWNERSHIP = "ownership", gettext_lazy("Proof of shop ownership")


# Crockford's base32 without I, L, O and U: a reference read out on the phone is not misheard.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A random case reference such as RC-7K4M-Q2XD (40 bits)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"RC-{code[:4]}-{code[4:]}"


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, readable by the server's user only, with no public URL."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Recovery documents are never served from a URL; staff download them in the admin.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


class RecoveryCase(FSMModelMixin, models.Model):
    """One account's way back: opened by a request on /recover/ or by a freeze, at most one open per
    account (or per typed address, when no account uses it)."""

    class Origin(models.TextChoices):
        # The values of security.freeze.FreezeOrigin: what opened the case.
        RECOVERY_REQUEST = "recovery_request", gettext_lazy("Request on /recover/")
        ALERT_LINK = "alert_link", gettext_lazy("“This wasn't me” link")
        OWNER = "owner", gettext_lazy("Owner froze the account")
        STAFF = "staff", gettext_lazy("Support staff froze the account")
        RECOVERY_CONTACT = "recovery_contact", gettext_lazy("Contact address overruled a cancellation")

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recovery_cases",
        help_text=gettext_lazy("The account, when one uses the address given; nobody is told either way."),
    )
    account_email = models.EmailField(gettext_lazy("account e-mail"), max_length=254)
    contact_email = models.EmailField(
        gettext_lazy("contact e-mail"),
        max_length=254,
        blank=True,
        help_text=gettext_lazy(
            "Where the person is reached now. Empty while a freeze opened the case and nobody has "
            "asked for recovery yet."
        ),
    )
    wants_sign_in_address = models.BooleanField(
        gettext_lazy("contact to become the sign-in address"),
        default=False,
        help_text=gettext_lazy(
            "The person asked for the contact address to become the account's sign-in address."
        ),
    )
    origin = models.CharField(max_length=20, choices=Origin.choices)
    status = FSMField(max_length=20, choices=CaseStatus.choices, default=S.AWAITING_DOCUMENTS, protected=True)
    # Bumped by every transition: an agent's action names the revision they saw, so an action on a
    # case that moved in the meantime is refused instead of applied to something they did not read.
    revision = models.PositiveIntegerField(default=1)
    documents_round = models.PositiveSmallIntegerField(default=1)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Approval, by one agent or (four eyes) two different ones.
    four_eyes = models.BooleanField(gettext_lazy("needs two approvals"), default=False)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sign_in_address_confirmed = models.BooleanField(
        gettext_lazy("sign-in address change confirmed"),
        default=False,
        help_text=gettext_lazy(
            "Every approving agent confirmed that the contact address becomes the sign-in address."
        ),
    )
    # What the approval task and the owner did afterwards.
    access_reset_at = models.DateTimeField(null=True, blank=True)
    password_set_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    staff_reminded_at = models.DateTimeField(null=True, blank=True)
    documents_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status_changed_at", "id"]
        permissions = [("review_recoverycase", gettext_lazy("Can review recovery cases"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(user__isnull=False, status__in=OPEN_STATUSES),
                name="recovery_case_one_open_per_account",
            ),
            models.UniqueConstraint(
                Lower("account_email"),
                condition=Q(user__isnull=True, status__in=OPEN_STATUSES),
                name="recovery_case_one_open_per_unknown_address",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="recovery_case_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"], name="recovery_case_queue_idx")]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def accepts_documents(self) -> bool:
        return self.status in ACCEPTS_DOCUMENTS

    @cached_property
    def documents_in_round(self) -> int:
        return self.documents.filter(round=self.documents_round).count()

    # The transition table. Each method only checks what the table cannot say; services hold the
    # case's row lock around the call and save the case afterwards.

    def _has_account(self) -> bool:
        return self.user_id is not None

    def _has_documents(self) -> bool:
        return self.documents.exists()

    def _has_no_documents(self) -> bool:
        return not self.documents.exists()

    def _owner_done(self) -> bool:
        return self.access_reset_at is not None and self.password_set_at is not None

    def kept_its_second_step(self) -> bool:
        """False once support reset the account's two-step verification within this case. Unfreezing
        such an account would hand it to whoever holds the password alone, so the case can then end
        only by approval (new password and enrolment through the contact address) or by a rejection
        that leaves the account frozen."""
        return not self.steps.filter(kind=CaseStep.Kind.TWO_STEP_RESET).exists()

    @transition(field=status, source=S.AWAITING_DOCUMENTS, target=S.IN_REVIEW)
    @transition(field=status, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def receive_document(self):
        """A document arrived: the case waits for support (again)."""

    @transition(field=status, source=UNDECIDED, target=S.AWAITING_DOCUMENTS)
    def request_more_documents(self):
        self.documents_round += 1
        self.first_approved_by = None
        self.four_eyes = False

    @transition(
        field=status,
        source=S.IN_REVIEW,
        target=RETURN_VALUE(S.SECOND_APPROVAL, S.APPROVED),
        conditions=[_has_account, _has_documents],
    )
    @transition(field=status, source=S.SECOND_APPROVAL, target=RETURN_VALUE(S.APPROVED))
    def approve(self, *, by, four_eyes: bool, confirms_sign_in_address: bool):
        """One agent's approval; returns the next status. The service checks that a second approval
        comes from a different agent."""
        confirmed = confirms_sign_in_address and self.wants_sign_in_address
        if self.status == S.IN_REVIEW:
            self.four_eyes = four_eyes
            self.sign_in_address_confirmed = confirmed
            if four_eyes:
                self.first_approved_by = by
                return S.SECOND_APPROVAL
        else:
            self.sign_in_address_confirmed = self.sign_in_address_confirmed and confirmed
        self.approved_by = by
        self.approved_at = timezone.now()
        return S.APPROVED

    @transition(field=status, source=UNDECIDED, target=S.REJECTED)
    def reject(self, *, reason: str):
        self.decision_reason = reason

    @transition(
        field=status, source=UNDECIDED, target=S.FALSE_ALARM, conditions=[_has_account, kept_its_second_step]
    )
    def close_as_false_alarm(self, *, reason: str):
        self.decision_reason = reason

    @transition(field=status, source=UNDECIDED, target=S.CANCELLED, conditions=[_has_account])
    def cancel_as_not_me(self):
        """The account holder, signed in on an established device, says the request was not theirs."""

    @transition(field=status, source=S.CANCELLED, target=RETURN_VALUE(S.AWAITING_DOCUMENTS, S.IN_REVIEW))
    def reopen(self):
        """The contact address overruled a "not me" cancellation: the case goes on where it was."""
        self.decision_reason = ""
        return S.IN_REVIEW if self._has_documents() and self.documents_in_round else S.AWAITING_DOCUMENTS

    @transition(field=status, source=S.AWAITING_DOCUMENTS, target=S.EXPIRED, conditions=[_has_no_documents])
    def expire(self):
        """Nobody sent a document in time (RECOVERY_ABANDONED_AFTER)."""

    @transition(field=status, source=S.APPROVED, target=S.RESTORED, conditions=[_owner_done])
    def restore(self):
        """The owner set a new password and enrolled two-step verification."""

    @transition(field=status, source=UNDECIDED, target=None, conditions=[_has_account])
    def assist(self):
        """Support acts on the account within the case (a lockout cleared, two-step reset): allowed
        while the case is undecided; the status stays."""


@receiver(post_transition, sender=RecoveryCase)
def _note_transition(sender, instance, source, target, **kwargs):
    if target is None or target == source:
        return
    now = timezone.now()
    instance.revision += 1
    instance.status_changed_at = now
    instance.closed_at = now if target in CLOSED_STATUSES else None


class CaseRequest(models.Model):
    """One request on /recover/ (or the API) that opened or joined the case, as the person gave it."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="requests")
    account_email = models.EmailField(max_length=254)
    contact_email = models.EmailField(max_length=254)
    description = models.TextField()
    wants_sign_in_address = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.case} from {self.contact_email}"


def document_path(instance, filename) -> str:
    """A random name: nothing the person typed reaches the file system."""
    return f"recovery/{secrets.token_hex(16)}.{instance.extension}"


class CaseDocument(models.Model):
    """An uploaded document, checked by content, stored privately; the file goes 90 days after the
    case closes, the row stays for the timeline."""

    EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="documents")
    round = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    name = models.CharField(
        max_length=100, help_text=gettext_lazy("The file's name as sent, for display only.")
    )
    file = models.FileField(upload_to=document_path, storage=private_storage, max_length=200, blank=True)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField(help_text=gettext_lazy("Bytes, as stored."))
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.case}"

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.content_type]


class CaseStep(models.Model):
    """One line of the case's timeline: who did what, when, and why."""

    class Kind(models.TextChoices):
        OPENED = "opened", gettext_lazy("Case opened")
        REQUESTED = "requested", gettext_lazy("Recovery requested")
        FROZEN = "frozen", gettext_lazy("Account frozen")
        LINK_SENT = "link_sent", gettext_lazy("Upload link sent")
        DOCUMENT_RECEIVED = "document_received", gettext_lazy("Document received")
        MORE_DOCUMENTS_REQUESTED = "more_documents_requested", gettext_lazy("More documents requested")
        FIRST_APPROVAL = "first_approval", gettext_lazy("First approval")
        APPROVED = "approved", gettext_lazy("Approved")
        ACCESS_RESET = "access_reset", gettext_lazy("Sessions, two-step and password reset")
        EMAIL_CHANGED = "email_changed", gettext_lazy("Sign-in address changed")
        PASSWORD_SET = "password_set", gettext_lazy("Owner set a new password")
        RESTORED = "restored", gettext_lazy("Two-step enrolled, account unfrozen")
        REJECTED = "rejected", gettext_lazy("Rejected")
        FALSE_ALARM = "false_alarm", gettext_lazy("Unfrozen as a false alarm")
        UNFROZEN = "unfrozen", gettext_lazy("Account unfrozen")
        CANCELLED = "cancelled", gettext_lazy("Cancelled as “not me”")
        REOPENED = "reopened", gettext_lazy("Reopened by the contact address")
        EXPIRED = "expired", gettext_lazy("Closed without documents")
        LOCKOUT_CLEARED = "lockout_cleared", gettext_lazy("Login lockout cleared")
        TWO_STEP_RESET = "two_step_reset", gettext_lazy("Two-step verification reset")
        DOCUMENT_OPENED = "document_opened", gettext_lazy("Document opened by staff")
        DOCUMENTS_PURGED = "documents_purged", gettext_lazy("Documents deleted")
        STAFF_REMINDED = "staff_reminded", gettext_lazy("Staff reminded")

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(
        max_length=60, help_text=gettext_lazy("Who acted, in words: an agent, the contact address…")
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.case}: {self.get_kind_display()}"


class CaseNotice(models.Model):
    """An e-mail the case owes someone, kept until it is sent: a broker outage delays it, never loses
    it (recovery/services/notices.py). Links are made when it is sent, so no token is ever stored."""

    class Link(models.TextChoices):
        NONE = "", gettext_lazy("No link")
        UPLOAD = "upload", gettext_lazy("Upload link")
        RESTORE = "restore", gettext_lazy("Set-password link")
        REOPEN = "reopen", gettext_lazy("Freeze-again link")

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="notices")
    to = models.EmailField(max_length=254)
    # The account's own address gets the anti-phishing phrase; a contact address never does.
    to_account = models.BooleanField(default=False)
    template = models.CharField(max_length=64)
    context = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=8, choices=Link.choices, blank=True)
    created = models.DateTimeField(default=timezone.now)
    # Taken by a sender, which made its link and committed it before handing the mail over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            models.Index(
                fields=["created"], condition=Q(sent_at__isnull=True), name="recovery_notice_unsent_idx"
            )
        ]

    def __str__(self):
        return f"{self.template} to {self.to}"
