"""After approval (SPEC §8 step 5): the task that takes the account away from whoever held it, and the
owner's way back through the single-use set-password link.

The task ends every session, removes every two-step device and recovery code, makes the password
unusable, moves the sign-in address to the contact address when the person asked and every approving
agent confirmed it, then e-mails the set-password link. It runs in one transaction under the case's
row lock and marks the case when done, so running it twice (a redelivery after a worker died, the
beat sweep) does the work once. The account is unfrozen when the owner has both set a new password
and enrolled two-step verification.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import two_step_enabled
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from recovery import rules
from recovery.models import CaseStatus, CaseStep, RecoveryCase
from recovery.services import notices
from recovery.services.cases import lock_case
from recovery.services.documents import case_of_link
from recovery.services.errors import CaseRefused
from recovery.services.timeline import HOLDER, record_step
from security import sessions
from security.email_change import cancel_email_change
from security.freeze import unfreeze_account
from security.passwords.changes import make_password_unusable, set_new_password
from security.two_step import enrolment

User = get_user_model()

# The session key that carries the owner from the password step to the two-step step.
RESTORE_SESSION_KEY = "recovery_restore"


def queue_approval(case_pk: int) -> None:
    carry_out_approval.delay(case_pk)


@shared_task(acks_late=True, autoretry_for=(DatabaseError, OSError), retry_backoff=True, max_retries=8)
def carry_out_approval(case_pk: int) -> bool:
    """The approval's work, then its e-mails, sent from here at once; True when this run did the work."""
    done = reset_access(case_pk)
    # Also on a rerun: the e-mails of a run that died between its commit and sending them.
    notices.send_now(RecoveryCase(pk=case_pk))
    return done


@transaction.atomic
def reset_access(case_pk: int) -> bool:
    """Take the account back from whoever holds it (see the module's docstring); False when the case
    is not approved or this was already done."""
    case = lock_case(case_pk)
    if case.status != CaseStatus.APPROVED or case.access_reset_at is not None or case.user_id is None:
        return False
    user = User.objects.select_for_update().get(pk=case.user_id)
    agent = case.approved_by
    reason = f"recovery case {case.reference} approved"
    context = RequestContext()
    ended = sessions.end_sessions(user)
    two_step_reset = enrolment.reset_two_step(user, by=agent, reason=reason, context=context)
    make_password_unusable(user, by=agent, reason=reason, context=context)
    # A change of address someone asked for while holding the account must not complete later.
    cancel_email_change(user, context=context)
    old_email = user.email
    moved = _move_sign_in_address(case, user, agent=agent, context=context)
    case.access_reset_at = timezone.now()
    case.save(update_fields=["access_reset_at"])
    record_step(case, CaseStep.Kind.ACCESS_RESET, sessions_ended=ended, two_step_reset=two_step_reset)
    notices.notify(case, "approved", link=notices.Link.RESTORE)
    if moved:
        notices.notify(case, "sign_in_address_moved", to=old_email, new_email=user.email)
    return True


def _move_sign_in_address(case: RecoveryCase, user, *, agent, context: RequestContext) -> bool:
    """The contact address becomes the sign-in address when asked and confirmed, unless another
    account uses it (then support are told in the timeline)."""
    new = case.contact_email.strip().lower()
    if not (case.wants_sign_in_address and case.sign_in_address_confirmed) or new == user.email.lower():
        return False
    old = user.email
    user.email = new
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:  # another account uses the address
        user.email = old
        record_step(case, CaseStep.Kind.EMAIL_CHANGED, reason="not changed: another account uses the address")
        return False
    record_event(
        user,
        EventKind.EMAIL_CHANGED,
        context=context,
        old_email=old,
        new_email=new,
        by=getattr(agent, "email", ""),
        via="recovery case",
    )
    record_step(case, CaseStep.Kind.EMAIL_CHANGED, old=old, new=new)
    return True


# The owner's way back.


def case_in_restore(request) -> RecoveryCase | None:
    """The approved case whose set-password link this session opened (or whose password step this
    session finished, within RESTORE_SESSION_LIFETIME); None otherwise."""
    try:
        case = case_of_link(links.held(request, notices.RESTORE_PURPOSE))
    except links.LinkInvalid:
        held = request.session.get(RESTORE_SESSION_KEY) or {}
        if held.get("until", 0) < timezone.now().timestamp():
            return None
        case = RecoveryCase.objects.select_related("user").filter(pk=held.get("case")).first()
    if case is None or case.status != CaseStatus.APPROVED or case.access_reset_at is None:
        return None
    return case


@transaction.atomic
def set_password(request, new_password: str, *, context: RequestContext) -> RecoveryCase:
    """The first step of the way back: spend the set-password link and give the account its new
    password. Raises LinkInvalid (already used, expired) and ValidationError for a password that
    breaks a rule (the link stays usable then)."""
    link = links.spend(links.held(request, notices.RESTORE_PURPOSE))
    case = lock_case(case_of_link(link).pk)
    if case.status != CaseStatus.APPROVED or case.access_reset_at is None:
        raise links.LinkInvalid(links.UNKNOWN)
    user = User.objects.select_for_update().get(pk=case.user_id)
    set_new_password(user, new_password, context=context, reason=f"recovery case {case.reference}")
    case.password_set_at = timezone.now()
    case.save(update_fields=["password_set_at"])
    record_step(case, CaseStep.Kind.PASSWORD_SET, actor=HOLDER, context=context)
    links.release(request, notices.RESTORE_PURPOSE)
    until = timezone.now() + rules.RESTORE_SESSION_LIFETIME
    request.session[RESTORE_SESSION_KEY] = {"case": case.pk, "until": until.timestamp()}
    return case


def enrol_two_step(request, case: RecoveryCase, code: str, *, context: RequestContext) -> list[str]:
    """The second step: confirm the authenticator with a code from it, then finish the case. Returns
    the new recovery codes. Raises the two-step errors (a wrong code counts against the account's
    throttle) and CaseRefused when the password step is not done."""
    if case.password_set_at is None:
        raise CaseRefused(_("Set a new password first."), code="password_first")
    _device, codes = enrolment.confirm_totp_device(case.user, code, context)
    finish(case.pk, context=context)
    request.session.pop(RESTORE_SESSION_KEY, None)
    return codes


@transaction.atomic
def finish(case_pk: int, *, context: RequestContext) -> bool:
    """Close the case as restored and unfreeze the account once both steps are done; False when it
    was already finished."""
    case = lock_case(case_pk)
    if case.status != CaseStatus.APPROVED or not two_step_enabled(case.user):
        return False
    case.restore()
    case.save()
    unfreeze_account(
        case.user, reason=f"recovery case {case.reference}: access restored", by=None, context=context
    )
    record_step(case, CaseStep.Kind.RESTORED, actor=HOLDER, context=context)
    notices.notify(case, "restored")
    return True
