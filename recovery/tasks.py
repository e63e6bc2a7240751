"""Celery tasks of the recovery workflow. Every task is idempotent and acknowledges late
(CELERY_TASK_ACKS_LATE): one taken by a worker that dies is run again, and does its work once.

The periodic ones are scheduled in settings.CELERY_BEAT_SCHEDULE.
"""

from celery import shared_task

from recovery.services import housekeeping, notices
from recovery.services.approval import carry_out_approval
from recovery.services.notices import send_notice

__all__ = [
    "carry_out_approval",
    "close_abandoned_cases",
    "purge_documents",
    "remind_staff",
    "resume_approvals",
    "send_notice",
    "send_pending_notices",
]


@shared_task
def send_pending_notices() -> int:
    """E-mails the broker could not take when their step happened."""
    return notices.send_pending()


@shared_task
def resume_approvals() -> int:
    """Approvals whose task could not be queued."""
    return housekeeping.resume_approvals()


@shared_task
def remind_staff() -> int:
    """Cases waiting for staff over 48 hours."""
    return housekeeping.remind_staff()


@shared_task
def close_abandoned_cases() -> int:
    """Cases without a document after 14 days."""
    return housekeeping.close_abandoned_cases()


@shared_task
def purge_documents() -> int:
    """Document files of cases closed over 90 days ago."""
    return housekeeping.purge_documents()
