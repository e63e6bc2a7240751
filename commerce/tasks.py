"""Periodic work of the modules, run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from commerce.services import marketing, withdrawals


@shared_task(acks_late=True, ignore_result=True)
def pay_out_withdrawals() -> int:
    """Pay out every requested withdrawal that no hold or freeze holds back; returns how many.

    Idempotent (each payout takes the shop's row lock and skips what is no longer requested), so a
    run re-delivered after a worker died pays nothing twice.
    """
    return sum(withdrawals.pay_out(pk) for pk in withdrawals.payable())


@shared_task(acks_late=True, ignore_result=True)
def advance_campaigns() -> None:
    """Start campaigns whose first day came, end those whose last day passed (UTC dates)."""
    marketing.advance_campaigns(timezone.now().date())
