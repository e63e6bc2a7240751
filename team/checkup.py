"""Team's check-up item: invitations still waiting for an answer (security/checkup.py explains the
registry; SPEC §9 lists the owner's items)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors import pending_invitations
from security.checkup import CheckupContext, Finding


def invitations_waiting(ctx: CheckupContext, membership) -> Finding | None:
    """For the owner: each pending invitation gives its roles to whoever opens it in that inbox, so the
    owner is asked to revoke the ones nobody should accept any more. None when none waits (one query)."""
    if not membership.is_owner:
        return None
    shop = membership.shop
    counts = pending_invitations(shop).aggregate(
        waiting=Count("pk"), expired=Count("pk", filter=Q(expires__lte=timezone.now()))
    )
    waiting = counts["waiting"]
    if not waiting:
        return None
    title = ngettext(
        "%(count)d invitation to %(shop)s waits for an answer",
        "%(count)d invitations to %(shop)s wait for an answer",
        waiting,
    ) % {"count": waiting, "shop": shop.name}
    if counts["expired"]:
        detail = ngettext(
            "%(count)d of them ran out: resend it or revoke it.",
            "%(count)d of them ran out: resend them or revoke them.",
            counts["expired"],
        ) % {"count": counts["expired"]}
    else:
        detail = _(
            "Whoever opens one in that inbox gets its roles. Revoke any nobody should accept any more."
        )
    return Finding(
        False, title, detail, _("Review invitations"), reverse("team:invitations", args=[shop.slug])
    )
