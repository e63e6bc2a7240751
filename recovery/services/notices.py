"""The case's e-mails (SPEC §8 step 7): queued as CaseNotice rows inside the step's transaction, sent
by a task once it commits.

A broker outage delays a notice, never loses it: when the task cannot be queued, the row stays unsent
and the beat sweep (send_pending_notices) sends it once the broker is back. One sender at a time
takes a notice (deliver() says how), so it goes out once, or in the rare case of a sender dying
half-way, at least once: never lost.

The e-mailed links (upload, set-password, freeze-again) are made when the notice is sent, so no
token is ever stored, and a resend replaces the link of the one before.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from notifications import links
from notifications.email import render_email
from recovery import rules
from recovery.models import CaseNotice, CaseStatus, CaseStep, RecoveryCase
from recovery.selectors import next_step
from recovery.services.timeline import record_step

logger = logging.getLogger(__name__)

UPLOAD_PURPOSE = "recovery_upload"
# An upload link takes the files one round allows; reopened after the last one, it says this.
UPLOAD_LINK_USED_UP = gettext_lazy(
    "All the files for this round of your recovery case have arrived. Our support team checks them and "
    "e-mails your contact address when they decide or need more; you do not need to do anything now."
)
RESTORE_PURPOSE = "recovery_restore"
REOPEN_PURPOSE = "recovery_reopen"

Link = CaseNotice.Link


def notify(
    case: RecoveryCase,
    template: str,
    *,
    contact: bool = True,
    account: bool = True,
    link: str = Link.NONE,
    to: str | None = None,
    **context,
) -> list[CaseNotice]:
    """Queue email/recovery/<template>.txt for the case's contact address and, where it still exists,
    the account's registered address (never with a link: links go to the contact only). `to` sends
    to that one address instead. `context` must be JSON: strings, numbers, booleans."""
    base = {"reference": case.reference, **context}
    account_email = case.user.email if case.user_id is not None else ""
    same_mailbox = bool(account_email) and account_email.casefold() == case.contact_email.casefold()
    rows = []
    if to is not None:
        rows.append(CaseNotice(to=to, context={**base, "audience": "contact"}))
    else:
        if contact and case.contact_email:
            rows.append(
                CaseNotice(
                    to=case.contact_email,
                    to_account=same_mailbox,
                    context={**base, "audience": "contact"},
                    link=link,
                )
            )
        if account and account_email and not same_mailbox:
            rows.append(
                CaseNotice(to=account_email, to_account=True, context={**base, "audience": "account"})
            )
    for row in rows:
        row.case, row.template = case, template
        row.save()
        # robust: with the broker down the row stays unsent and the beat sweep sends it later. (A
        # named function, not a partial: Django names the callback when it logs its failure.)
        transaction.on_commit(lambda pk=row.pk: _queue(pk), robust=True)
    return rows


def _queue(pk: int) -> None:
    send_notice.delay(pk)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_notice(pk: int) -> bool:
    """Send one queued notice (idempotent: a notice already sent is left alone)."""
    return deliver(pk)


def deliver(pk: int) -> bool:
    """Send the notice now unless it was sent or another sender holds it; True when this call sent it.

    The link is made and committed first, then the mail handed to the mail server, then the notice
    marked sent: the person can use the link as soon as the mail arrives. A sender that dies before
    marking it leaves it to the next one after NOTICE_CLAIM_TIMEOUT (the mail may then go twice,
    the newest link being the one that works); a refused hand-over frees it for the next try at once.
    """
    now = timezone.now()
    with transaction.atomic():
        notice = (
            CaseNotice.objects.select_for_update()
            .filter(pk=pk, sent_at__isnull=True)
            .exclude(claimed_at__gt=now - rules.NOTICE_CLAIM_TIMEOUT)
            .first()
        )
        if notice is None:
            return False
        case = RecoveryCase.objects.select_related("user").get(pk=notice.case_id)
        link_url = _issue_link(case, notice.link)
        context = {
            **notice.context,
            "case": case,
            "link_url": link_url,
            "status_url": settings.SITE_URL + reverse("recovery:status"),
            "recover_url": settings.SITE_URL + reverse("recovery:request"),
            "files_per_round": rules.FILES_PER_ROUND,
            "files_received": case.documents.count(),
            "files_left": max(rules.FILES_PER_ROUND - case.documents_in_round, 0),
            "next_step": next_step(case),
        }
        user = case.user if notice.to_account else None
        address = notice.to
        subject, body = render_email(f"recovery/{notice.template}", context, user=user)
        notice.claimed_at = now
        notice.save(update_fields=["claimed_at"])
        if link_url:
            record_step(case, CaseStep.Kind.LINK_SENT, to=address, link=notice.get_link_display())
    try:
        EmailMessage(subject=subject, body=body, to=[address]).send()
    except Exception:
        CaseNotice.objects.filter(pk=pk).update(claimed_at=None)
        raise
    CaseNotice.objects.filter(pk=pk).update(sent_at=timezone.now())
    return True


def send_pending(older_than: timedelta | None = None) -> int:
    """Send every notice still unsent this long (default RECOVERY_SWEEP_SECONDS) after it was queued:
    the beat sweep. A notice another sender holds is left to it. Returns how many this call sent."""
    if older_than is None:
        older_than = timedelta(seconds=settings.RECOVERY_SWEEP_SECONDS)
    cutoff = timezone.now() - older_than
    pending = CaseNotice.objects.filter(sent_at__isnull=True, created__lte=cutoff).values_list(
        "pk", flat=True
    )
    return _deliver_each(list(pending[:500]))


def send_now(case: RecoveryCase) -> int:
    """Send the case's unsent notices in this process (a task that just made them); returns how many."""
    pending = CaseNotice.objects.filter(case=case, sent_at__isnull=True).values_list("pk", flat=True)
    return _deliver_each(list(pending))


def _deliver_each(pks: list[int]) -> int:
    """Send each; one the mail server refuses is logged and left for the next sweep."""
    sent = 0
    for pk in pks:
        try:
            sent += deliver(pk)
        except Exception:
            logger.exception("Recovery e-mail %s was not sent; the next sweep tries again.", pk)
    return sent


def _issue_link(case: RecoveryCase, kind: str) -> str | None:
    """A fresh link of this kind for the case, or None when the case no longer allows it."""
    subject = f"case:{case.pk}"
    if kind == Link.UPLOAD:
        left = rules.FILES_PER_ROUND - case.documents_in_round
        if not case.accepts_documents or left <= 0:
            return None
        return links.issue(
            UPLOAD_PURPOSE,
            landing="recovery:case",
            lifetime=rules.UPLOAD_LINK_LIFETIME,
            subject=subject,
            uses=left,
        ).url
    if kind == Link.RESTORE:
        if case.status != CaseStatus.APPROVED or case.access_reset_at is None or case.user_id is None:
            return None
        return links.issue(
            RESTORE_PURPOSE,
            landing="recovery:restore",
            lifetime=rules.RESTORE_LINK_LIFETIME,
            user=case.user,
            subject=subject,
        ).url
    if kind == Link.REOPEN:
        if case.status != CaseStatus.CANCELLED:
            return None
        return links.issue(
            REOPEN_PURPOSE, landing="recovery:reopen", lifetime=rules.REOPEN_LINK_LIFETIME, subject=subject
        ).url
    return None
