"""Commerce's check-up item: a payout account changed recently (security/checkup.py explains the
registry). Changing the payout account is the step a takeover exists for (the seed; SPEC §6a), so the
owner is asked to look at a recent change even when it was theirs."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from commerce.models import PayoutAccount, PayoutAccountStatus
from commerce.services.payouts import ROLLBACK_WINDOW
from security.checkup import CheckupContext, Finding


def payout_account_changed(ctx: CheckupContext, membership) -> Finding | None:
    """For the owner: a payout account registered in the last ROLLBACK_WINDOW (7 days), active or
    waiting for review, is a step until that window ends; None otherwise (one query)."""
    if not membership.is_owner:
        return None
    shop = membership.shop
    now = timezone.now()
    recent = (
        PayoutAccount.objects.filter(
            shop=shop,
            status__in=[PayoutAccountStatus.ACTIVE, PayoutAccountStatus.PENDING_REVIEW],
            created__gt=now - ROLLBACK_WINDOW,
        )
        .order_by("-created")
        .first()
    )
    if recent is None:
        return None
    if now - recent.created < timedelta(minutes=1):
        title = _("The payout account of %(shop)s changed a moment ago") % {"shop": shop.name}
    else:
        title = _("The payout account of %(shop)s changed %(ago)s ago") % {
            "shop": shop.name,
            "ago": timesince(recent.created, now, depth=1),
        }
    return Finding(
        False,
        title,
        _(
            "Payouts now go to %(account)s. If you did not make this change, freeze your account from "
            "Account Security at once: that rolls the change back and cancels withdrawals not yet paid."
        )
        % {"account": recent.summary},
        _("Check the payout account"),
        reverse("commerce:payout-account", args=[shop.slug]),
    )
