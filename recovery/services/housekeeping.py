"""The periodic jobs of the workflow (SPEC §8 step 7), run by Celery beat (recovery/tasks.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.events import RequestContext
from notifications.email import send_email
from recovery import rules
from recovery.models import CLOSED_STATUSES, WAITING_FOR_STAFF, CaseStatus, CaseStep, RecoveryCase
from recovery.selectors import reviewers
from recovery.services import notices
from recovery.services.approval import queue_approval
from recovery.services.cases import lock_case, revoke_upload_links
from recovery.services.documents import purge_files
from recovery.services.timeline import record_step
from security.freeze import unfreeze_account


def remind_staff() -> int:
    """E-mail every reviewer the cases waiting for staff longer than STAFF_REMINDER_AFTER (48 hours),
    each case at most once per STAFF_REMINDER_INTERVAL; returns how many cases were in the reminder."""
    now = timezone.now()
    with transaction.atomic():
        waiting = list(
            RecoveryCase.objects.select_for_update()
            .filter(status__in=WAITING_FOR_STAFF, status_changed_at__lte=now - rules.STAFF_REMINDER_AFTER)
            .exclude(staff_reminded_at__gt=now - rules.STAFF_REMINDER_INTERVAL)
            .order_by("status_changed_at")
        )
        if not waiting:
            return 0
        for case in waiting:
            case.staff_reminded_at = now
            case.save(update_fields=["staff_reminded_at"])
            record_step(case, CaseStep.Kind.STAFF_REMINDED)
        rows = [
            {"reference": c.reference, "status": c.get_status_display(), "since": c.status_changed_at}
            for c in waiting
        ]
        for agent in reviewers():
            send_email(agent, "recovery/staff_reminder", {"cases": rows})
    return len(waiting)


def close_abandoned_cases() -> int:
    """Close the cases that never received a document within ABANDONED_AFTER (14 days). An account
    frozen only by such an unproven request is unfrozen: an abandoned request must not keep a seller
    locked out. A freeze with proof behind it (a link, the owner, staff) stays. Returns how many."""
    cutoff = timezone.now() - rules.ABANDONED_AFTER
    candidates = RecoveryCase.objects.filter(
        status=CaseStatus.AWAITING_DOCUMENTS, created__lte=cutoff, documents__isnull=True
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(candidates):
        with transaction.atomic():
            case = lock_case(pk)
            if case.status != CaseStatus.AWAITING_DOCUMENTS or case.documents.exists():
                continue
            case.expire()
            case.save()
            revoke_upload_links(case)
            record_step(case, CaseStep.Kind.EXPIRED)
            user = case.user
            unfrozen = bool(user and user.is_frozen and not user.is_fully_frozen) and unfreeze_account(
                user,
                reason=f"recovery case {case.reference} closed: no documents within 14 days",
                by=None,
                context=RequestContext(),
            )
            if unfrozen:
                record_step(case, CaseStep.Kind.UNFROZEN, reason="the unproven request was not followed up")
            notices.notify(case, "expired", unfrozen=unfrozen)
            closed += 1
    return closed


def purge_documents(older_than=rules.DOCUMENTS_KEPT_FOR) -> int:
    """Delete the document files of cases closed more than `older_than` ago (90 days); returns how
    many files went. The rows stay, so the timeline still says what was sent."""
    cutoff = timezone.now() - older_than
    candidates = RecoveryCase.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__lte=cutoff, documents__purged_at__isnull=True
    ).distinct()
    purged = 0
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            case = lock_case(pk)
            count = purge_files(case)
            if count:
                case.documents_purged_at = timezone.now()
                case.save(update_fields=["documents_purged_at"])
                record_step(case, CaseStep.Kind.DOCUMENTS_PURGED, files=count)
            purged += count
    return purged


def resume_approvals() -> int:
    """Queue again the approvals whose task never ran (the broker was down when they were approved);
    the task itself does its work once. Returns how many were queued."""
    cutoff = timezone.now() - timedelta(seconds=settings.RECOVERY_SWEEP_SECONDS)
    stuck = RecoveryCase.objects.filter(
        status=CaseStatus.APPROVED, access_reset_at__isnull=True, approved_at__lte=cutoff
    ).values_list("pk", flat=True)
    stuck = list(stuck)
    for pk in stuck:
        queue_approval(pk)
    return len(stuck)
