"""The case's timeline: every step is a CaseStep row, and a security event of the account."""

from audit.events import EventKind, RequestContext, record_event
from recovery.models import CaseStep

SYSTEM = "Seller Center"
PERSON = "the person asking for recovery"
CONTACT = "the contact address"
HOLDER = "the account holder"


def agent_label(agent) -> str:
    return f"{agent.get_full_name()} (support)" if agent is not None else SYSTEM


def record_step(
    case,
    step_kind: CaseStep.Kind,
    *,
    actor: str = SYSTEM,
    by=None,
    reason: str = "",
    context: RequestContext | None = None,
    **details,
) -> CaseStep:
    """Append a step to the case's timeline and, when the case has an account, to its security log
    (SPEC §9: recovery case steps are security events). Call it inside the step's transaction."""
    step = CaseStep.objects.create(
        case=case,
        kind=step_kind,
        by=by,
        actor=agent_label(by) if by is not None else actor,
        reason=reason[:2000],
        details=details,
    )
    if case.user_id is not None:
        record_event(
            case.user,
            EventKind.RECOVERY_CASE_STEP,
            context=context,
            reference=case.reference,
            step=CaseStep.Kind(step_kind).value,
            by=getattr(by, "email", None) or step.actor,
            **({"reason": reason[:200]} if reason else {}),
        )
    return step
