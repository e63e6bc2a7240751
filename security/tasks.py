"""Celery tasks of the security app."""

from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_reset_email(address: str | None, subject: str, body: str) -> None:
    """Send a rendered reset e-mail, or drop it when the request named no account that may reset
    its password: the task is queued either way, so the request costs the same (SPEC §7)."""
    if address:
        EmailMessage(subject=subject, body=body, to=[address]).send()
