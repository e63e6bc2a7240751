from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_email(to: str, subject: str, body: str) -> None:
    """Hand one rendered e-mail to Django's mail backend, off the request path."""
    EmailMessage(subject=subject, body=body, to=[to]).send()
