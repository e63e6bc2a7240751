"""What support staff do with a case in the admin (SPEC §8 steps 4-6): ask for more documents,
approve (once, or twice by two different agents), reject, unfreeze a false alarm, clear a lockout or
reset two-step verification, and freeze an account themselves.

Each takes the agent (who must hold "review recovery cases"), a reason, and the case revision the
agent read: under the case's row lock, an action on a case that moved since is refused, so of two
agents acting at once one wins and the other is told what happened.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from accounts.models import FreezeScope
from audit.events import RequestContext
from recovery.models import CaseStatus, CaseStep, RecoveryCase
from recovery.selectors import REVIEW_PERMISSION, contact_addresses, four_eyes_reasons
from recovery.services import notices
from recovery.services.approval import queue_approval
from recovery.services.cases import lock_case, open_case_of, revoke_upload_links
from recovery.services.errors import CaseRefused
from recovery.services.timeline import record_step
from security import login_protection
from security.freeze import FreezeOrigin, freeze_account, unfreeze_account
from security.two_step import enrolment

User = get_user_model()

ACTIONS = {
    "request_more_documents": gettext_lazy("Asking for more documents"),
    "approve": gettext_lazy("Approving"),
    "reject": gettext_lazy("Rejecting"),
    "close_as_false_alarm": gettext_lazy("Unfreezing as a false alarm"),
    "assist": gettext_lazy("Acting on the account"),
}


def may_review(agent) -> bool:
    return bool(agent and agent.is_active and agent.is_staff and agent.has_perm(REVIEW_PERMISSION))


def _check_agent(agent) -> None:
    if not may_review(agent):
        raise CaseRefused(
            _("Only support staff who may review recovery cases can do this."),
            code="permission_denied",
            status=403,
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CaseRefused(
            _("Give a reason: it goes into the case's timeline and, where the person is told, the e-mail."),
            code="reason_required",
            status=400,
        )
    return reason[:2000]


def _locked(case_pk: int, *, agent, revision: int | None) -> RecoveryCase:
    _check_agent(agent)
    case = lock_case(case_pk)
    if case.user_id is not None and case.user_id == agent.pk:
        raise CaseRefused(
            _("This case is about your own account: another agent must work it."),
            code="own_account",
            status=403,
        )
    if revision is not None and case.revision != revision:
        raise CaseRefused(
            _(
                "Case %(reference)s changed while you were reading it: it is now “%(status)s”. Read "
                "it again before you act."
            )
            % {"reference": case.reference, "status": case.get_status_display()},
            code="case_changed",
        )
    return case


def _move(case: RecoveryCase, name: str, **kwargs):
    """Call one transition of the table; CaseRefused with the reason when the table refuses it."""
    try:
        return getattr(case, name)(**kwargs)
    except TransitionNotAllowed:
        raise CaseRefused(
            _("%(action)s is not possible while case %(reference)s is “%(status)s”.")
            % {"action": ACTIONS[name], "reference": case.reference, "status": case.get_status_display()},
            code="illegal_transition",
        ) from None


@transaction.atomic
def request_more_documents(
    case_pk: int, *, agent, revision: int | None, reason: str, context: RequestContext, contact_email=None
) -> RecoveryCase:
    """Open a new round of documents with a fresh upload link, to the case's contact address or to
    another address one of its requests gave (`contact_email`)."""
    case = _locked(case_pk, agent=agent, revision=revision)
    reason = _reason(reason)
    if contact_email and contact_email.casefold() != case.contact_email.casefold():
        chosen = next((a for a in contact_addresses(case) if a.casefold() == contact_email.casefold()), None)
        if chosen is None:
            raise CaseRefused(
                _("That address did not ask for recovery in this case."), code="unknown_contact", status=400
            )
        request = case.requests.filter(contact_email__iexact=chosen).last()
        case.contact_email, case.wants_sign_in_address = chosen, request.wants_sign_in_address
    if not case.contact_email:
        raise CaseRefused(
            _("Nobody has asked for recovery on this case yet, so there is no address to send a link to."),
            code="no_contact",
        )
    _move(case, "request_more_documents")
    case.save()
    revoke_upload_links(case)
    record_step(
        case,
        CaseStep.Kind.MORE_DOCUMENTS_REQUESTED,
        by=agent,
        reason=reason,
        context=context,
        round=case.documents_round,
        contact=case.contact_email,
    )
    notices.notify(case, "more_documents", reason=reason, link=notices.Link.UPLOAD)
    return case


@transaction.atomic
def approve(
    case_pk: int,
    *,
    agent,
    revision: int | None,
    reason: str,
    context: RequestContext,
    confirms_sign_in_address=False,
) -> RecoveryCase:
    """Approve the case. With four eyes (four_eyes_reasons) the first approval waits for a second
    agent's; the final one freezes the account fully (SPEC §6a) and queues the approval task."""
    case = _locked(case_pk, agent=agent, revision=revision)
    reason = _reason(reason)
    if case.user_id is None:
        raise CaseRefused(
            _(
                "No account uses the address this case is about: there is nothing to recover. Reject "
                "it instead."
            ),
            code="no_account",
        )
    if case.status == CaseStatus.SECOND_APPROVAL and case.first_approved_by_id == agent.pk:
        raise CaseRefused(
            _("You gave this case its first approval: a second, different agent must approve it."),
            code="same_agent",
        )
    if case.status == CaseStatus.IN_REVIEW and not case.documents.exists():
        raise CaseRefused(_("No document has arrived yet: ask for documents first."), code="no_documents")
    why = four_eyes_reasons(case.user) if case.status == CaseStatus.IN_REVIEW else []
    target = _move(
        case, "approve", by=agent, four_eyes=bool(why), confirms_sign_in_address=confirms_sign_in_address
    )
    case.save()
    if target == CaseStatus.SECOND_APPROVAL:
        record_step(
            case, CaseStep.Kind.FIRST_APPROVAL, by=agent, reason=reason, context=context, four_eyes=why
        )
        notices.notify(case, "first_approval")
        return case
    record_step(
        case,
        CaseStep.Kind.APPROVED,
        by=agent,
        reason=reason,
        context=context,
        sign_in_address=case.sign_in_address_confirmed,
    )
    revoke_upload_links(case)
    freeze_account(
        case.user,
        scope=FreezeScope.FULL,
        origin=FreezeOrigin.STAFF,
        reason=f"recovery case {case.reference} approved",
        context=context,
        by=agent,
        # The approval notices say what to do next; "frozen, start a recovery" would contradict them.
        notify=False,
    )
    # robust: with the broker down the approval commits all the same; beat's resume_approvals queues it.
    transaction.on_commit(lambda: queue_approval(case.pk), robust=True)
    return case


# Why a case whose two-step verification support reset cannot unfreeze the account (kept_its_second_step).
SECOND_STEP_GONE = gettext_lazy(
    "Two-step verification was reset within this case, so unfreezing the account now would let in anyone "
    "who holds its password. Approve the case instead: the contact address gets a link to set a new "
    "password and enrol again."
)


@transaction.atomic
def reject(
    case_pk: int, *, agent, revision: int | None, reason: str, context: RequestContext, unfreeze: bool = False
) -> RecoveryCase:
    """Close the case and tell the person why. The account stays frozen unless `unfreeze` (for a
    request that was not from the account's owner)."""
    case = _locked(case_pk, agent=agent, revision=revision)
    reason = _reason(reason)
    if unfreeze and not case.kept_its_second_step():
        raise CaseRefused(str(SECOND_STEP_GONE), code="two_step_reset_in_case")
    _move(case, "reject", reason=reason)
    case.save()
    revoke_upload_links(case)
    record_step(case, CaseStep.Kind.REJECTED, by=agent, reason=reason, context=context)
    unfrozen = bool(unfreeze and case.user_id) and unfreeze_account(
        case.user, reason=f"case {case.reference} rejected: {reason}", by=agent, context=context
    )
    if unfrozen:
        record_step(case, CaseStep.Kind.UNFROZEN, by=agent, reason=reason, context=context)
    notices.notify(case, "rejected", reason=reason, unfrozen=unfrozen)
    return case


@transaction.atomic
def close_as_false_alarm(case_pk: int, *, agent, revision: int | None, reason: str, context: RequestContext):
    """Nothing was wrong: unfreeze the account and close the case."""
    case = _locked(case_pk, agent=agent, revision=revision)
    reason = _reason(reason)
    if not case.kept_its_second_step():
        raise CaseRefused(str(SECOND_STEP_GONE), code="two_step_reset_in_case")
    _move(case, "close_as_false_alarm", reason=reason)
    case.save()
    revoke_upload_links(case)
    record_step(case, CaseStep.Kind.FALSE_ALARM, by=agent, reason=reason, context=context)
    unfreeze_account(
        case.user, reason=f"false alarm, case {case.reference}: {reason}", by=agent, context=context
    )
    notices.notify(case, "false_alarm", reason=reason)
    return case


@transaction.atomic
def clear_lockout(case_pk: int, *, agent, revision: int | None, reason: str, context: RequestContext) -> int:
    """Lift the account's sign-in lockout within the case; returns how many failures were cleared."""
    case = _locked(case_pk, agent=agent, revision=revision)
    reason = _reason(reason)
    _move(case, "assist")
    cleared = login_protection.clear_lockout(case.user, by=agent, reason=reason, context=context)
    record_step(
        case, CaseStep.Kind.LOCKOUT_CLEARED, by=agent, reason=reason, context=context, failures=cleared
    )
    return cleared


@transaction.atomic
def reset_two_step(
    case_pk: int, *, agent, revision: int | None, reason: str, context: RequestContext
) -> None:
    """Remove the account's two-step devices and recovery codes within the case (the owner enrols
    again at the next sign-in)."""
    case = _locked(case_pk, agent=agent, revision=revision)
    reason = _reason(reason)
    _move(case, "assist")
    if not enrolment.reset_two_step(
        case.user, by=agent, reason=f"case {case.reference}: {reason}", context=context
    ):
        raise CaseRefused(_("This account has no two-step verification to reset."), code="nothing_to_reset")
    record_step(case, CaseStep.Kind.TWO_STEP_RESET, by=agent, reason=reason, context=context)


@transaction.atomic
def staff_freeze(email: str, *, agent, reason: str, context: RequestContext) -> RecoveryCase:
    """Support freeze an account fully (every device blocked); the freeze opens or joins its case."""
    _check_agent(agent)
    reason = _reason(reason)
    user = User.objects.by_email(email or "").first()
    if user is None:
        raise CaseRefused(_("No account uses this e-mail address."), code="no_account", status=400)
    if user.is_fully_frozen:
        raise CaseRefused(_("This account is already frozen on every device."), code="already_frozen")
    freeze_account(
        user, scope=FreezeScope.FULL, origin=FreezeOrigin.STAFF, reason=reason, context=context, by=agent
    )
    return open_case_of(user)
