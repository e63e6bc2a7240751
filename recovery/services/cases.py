"""Opening and joining cases (SPEC §8 steps 1-3): a request on /recover/ or the API, any freeze of an
account, and a new link asked for on the status page.

A request carries no proof, so its answer is the same whether or not an account uses the address: a
case (with a reference) is opened either way and the contact address receives its upload link. Only
when an account exists is it frozen, UNPROVEN, in the request's own transaction.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.models import FreezeScope
from audit.events import RequestContext
from notifications import links
from recovery.models import OPEN_STATUSES, UNDECIDED, CaseRequest, CaseStatus, CaseStep, RecoveryCase
from recovery.services import notices
from recovery.services.timeline import CONTACT, HOLDER, PERSON, SYSTEM, record_step
from security.freeze import FreezeOrigin, freeze_account
from security.sessions import describe_device

User = get_user_model()

DESCRIPTION_MAX_LENGTH = 2000

# Who asked for a freeze, as the timeline says it.
FREEZE_ACTORS = {
    FreezeOrigin.ALERT_LINK: "the account's mailbox (“This wasn't me”)",
    FreezeOrigin.OWNER: HOLDER,
    FreezeOrigin.STAFF: "support staff",
    FreezeOrigin.RECOVERY_REQUEST: PERSON,
    FreezeOrigin.RECOVERY_CONTACT: CONTACT,
}


def lock_case(pk: int) -> RecoveryCase:
    """The case, under its row lock until the transaction ends: two agents (or an agent and the
    person) never act on one case at once."""
    return RecoveryCase.objects.select_for_update().get(pk=pk)


def open_case_of(user, *, lock: bool = False) -> RecoveryCase | None:
    """The account's open case, if any (there is at most one)."""
    cases = RecoveryCase.objects.filter(user=user, status__in=OPEN_STATUSES)
    return (cases.select_for_update() if lock else cases).first()


def _open_case_of_unknown_address(email: str) -> RecoveryCase | None:
    return (
        RecoveryCase.objects.select_for_update()
        .filter(user__isnull=True, account_email__iexact=email, status__in=OPEN_STATUSES)
        .first()
    )


@transaction.atomic
def submit_request(
    *,
    account_email: str,
    contact_email: str,
    description: str,
    wants_sign_in_address: bool = False,
    context: RequestContext,
) -> RecoveryCase:
    """Open a case for the account, or join its open one; freeze the account (UNPROVEN) if it exists.

    Returns the case; the caller shows its reference, and nothing else, whatever happened. The
    contact address gets the upload link when it is the case's contact (a first request, or the same
    address asking again); a different address is told its request joined an open case, and support
    decide which address to work with.
    """
    account_email = account_email.strip().lower()
    contact_email = contact_email.strip().lower()
    # The account row's lock serialises requests and freezes of one account.
    user = User.objects.by_email(account_email).select_for_update().first()
    case = open_case_of(user, lock=True) if user else _open_case_of_unknown_address(account_email)
    opened = case is None
    if opened:
        case = _open(user, account_email, FreezeOrigin.RECOVERY_REQUEST)
        if case.pk is None:  # another request for the same unknown address opened it first
            opened = False
            case = _open_case_of_unknown_address(account_email)
    CaseRequest.objects.create(
        case=case,
        account_email=account_email,
        contact_email=contact_email,
        description=description[:DESCRIPTION_MAX_LENGTH],
        wants_sign_in_address=wants_sign_in_address,
        ip=context.ip,
        device=describe_device(context.user_agent),
    )
    if opened:
        record_step(case, CaseStep.Kind.OPENED, actor=PERSON, context=context, origin=case.origin)
    record_step(case, CaseStep.Kind.REQUESTED, actor=PERSON, context=context, contact=contact_email)
    if not case.contact_email:
        case.contact_email, case.wants_sign_in_address = contact_email, wants_sign_in_address
        case.save(update_fields=["contact_email", "wants_sign_in_address"])
        notices.notify(case, "received", account=False, link=notices.Link.UPLOAD)
    elif case.contact_email.casefold() == contact_email.casefold():
        send_current_link(case)
    else:
        notices.notify(case, "request_added", to=contact_email)
    if user is not None:
        freeze_account(
            user,
            scope=FreezeScope.UNPROVEN,
            origin=FreezeOrigin.RECOVERY_REQUEST,
            reason=f"recovery requested, case {case.reference}",
            context=context,
        )
    return case


def _open(user, account_email: str, origin: FreezeOrigin) -> RecoveryCase:
    """A new case; for an unknown address that another request opened at the same moment, an
    unsaved case (pk None) so that the caller joins that one instead."""
    case = RecoveryCase(user=user, account_email=user.email if user else account_email, origin=origin)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if user is not None:
            raise
        case.pk = None
    return case


def send_current_link(case: RecoveryCase) -> None:
    """Send the contact address the link the case needs now: while documents are accepted, where the
    case stands (its status, the files received) with a fresh upload link for the rest of the round;
    the set-password link once approved; else where the case stands."""
    if case.status == CaseStatus.APPROVED and case.access_reset_at is not None:
        notices.notify(case, "approved", account=False, link=notices.Link.RESTORE)
    elif case.accepts_documents:
        notices.notify(case, "where_it_stands", account=False, link=notices.Link.UPLOAD)
    else:
        notices.notify(case, "status", account=False)


@transaction.atomic
def send_new_link(reference: str, contact_email: str, context: RequestContext) -> None:
    """The status page: when the reference and the contact address match a case, e-mail that address
    its current link (or where a closed case stands). Silent otherwise, so the page says the same
    whatever was typed."""
    case = (
        RecoveryCase.objects.select_for_update()
        .filter(reference=reference.strip().upper(), contact_email__iexact=contact_email.strip())
        .first()
    )
    if case is None:
        return
    if case.is_open:
        send_current_link(case)
    else:
        notices.notify(case, "status", account=False)


def on_account_frozen(sender, *, user, scope, origin, reason, context, by=None, **kwargs) -> None:
    """Every freeze opens the account's case or joins its open one (SPEC §8 step 6): "This wasn't
    me", the owner's own freeze and a staff freeze block every device and wait for a case the same
    way a request does. Runs inside the freeze's transaction."""
    origin = FreezeOrigin(origin)
    actor = FREEZE_ACTORS.get(origin, SYSTEM)
    staff = by if by is not None and by.is_staff and origin == FreezeOrigin.STAFF else None
    case = open_case_of(user, lock=True)
    opened = case is None
    if opened:
        case = _open(user, user.email, origin)
        record_step(case, CaseStep.Kind.OPENED, actor=actor, by=staff, context=context, origin=origin.value)
    record_step(
        case,
        CaseStep.Kind.FROZEN,
        actor=actor,
        by=staff,
        context=context,
        reason=reason,
        scope=FreezeScope(scope).value,
        origin=origin.value,
    )
    # The contact address hears of a freeze that others asked for while the case is undecided.
    told_already = origin in (FreezeOrigin.RECOVERY_REQUEST, FreezeOrigin.RECOVERY_CONTACT)
    if not opened and case.contact_email and case.status in UNDECIDED and not told_already:
        notices.notify(case, "frozen", account=False)


def revoke_upload_links(case: RecoveryCase) -> None:
    """The case takes no more documents through the links sent so far."""
    links.revoke(notices.UPLOAD_PURPOSE, f"case:{case.pk}")
