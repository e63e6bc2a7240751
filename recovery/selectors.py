"""Reads of the recovery workflow: four eyes, the support queue and case page, the people who review."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from commerce.money import format_money
from commerce.selectors import available_balance, payout_account_history
from recovery.models import CaseStatus, RecoveryCase
from security.selectors import events_of_user

User = get_user_model()

REVIEW_PERMISSION = "recovery.review_recoverycase"
# The security log shown on a case page goes back this far.
EVENTS_SHOWN_FOR = timedelta(days=30)


def owned_balances(user) -> dict[str, Decimal]:
    """The available balances of the shops the account owns, added up per currency (ISO 4217 code:
    a Decimal at that currency's precision)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for shop in user.owned_shops.all():
        totals[shop.currency] += available_balance(shop)
    return dict(totals)


def four_eyes_reasons(user) -> list[str]:
    """Why approving this account's recovery takes two different agents (SPEC §8 step 6); empty
    when one agent is enough. Balances in different currencies are not converted: the amount
    (RECOVERY_FOUR_EYES_BALANCE) applies to each currency's total."""
    reasons = []
    if user.has_hardened_recovery:
        reasons.append("the owner turned on hardened recovery")
    limit = settings.RECOVERY_FOUR_EYES_BALANCE
    for currency, total in sorted(owned_balances(user).items()):
        if total > limit:
            reasons.append(
                f"the shops it owns hold {format_money(total, currency)}, over {limit:,.2f} {currency}"
            )
    return reasons


def queue():
    """Cases for the support queue, with their document counts, in one query per page."""
    return RecoveryCase.objects.select_related("user").annotate(
        document_count=Count("documents", distinct=True)
    )


def recent_security_events(user):
    """The account's security log of the last 30 days, newest first."""
    return events_of_user(user).filter(created__gte=timezone.now() - EVENTS_SHOWN_FOR)


def payout_histories(user) -> list[tuple]:
    """(shop, its payout accounts newest first) for each shop the account owns: what changed lately
    is what a takeover aims at. Only masked numbers leave commerce."""
    return [(shop, list(payout_account_history(shop))) for shop in user.owned_shops.order_by("name")]


def reviewers():
    """Active staff who may review recovery cases: the people the 48-hour reminder goes to."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True) | Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
        )
        .distinct()
        .order_by("email")
    )


def contact_addresses(case: RecoveryCase) -> list[str]:
    """The distinct contact addresses the case's requests gave, first seen first."""
    seen: dict[str, str] = {}
    for address in case.requests.values_list("contact_email", flat=True):
        seen.setdefault(address.casefold(), address)
    return list(seen.values())


NEXT_STEPS = {
    CaseStatus.AWAITING_DOCUMENTS: gettext_lazy(
        "Send a photo or scan of an identity document and, if you own a shop, proof that you own it (for "
        "example an invoice or a bank statement in the shop's name), with the link we e-mailed to your "
        "contact address."
    ),
    CaseStatus.IN_REVIEW: gettext_lazy(
        "Our support team is checking your documents. We e-mail your contact address as soon as they decide "
        "or need something more. You can still add files with the same link."
    ),
    CaseStatus.SECOND_APPROVAL: gettext_lazy(
        "One support agent approved your case. Because of the balance or the settings of this account, a "
        "second agent checks it too; we e-mail you when they decide."
    ),
    CaseStatus.APPROVED: gettext_lazy(
        "Your case was approved. Open the link we e-mailed to your contact address within 24 hours to set a "
        "new password and set up two-step verification: the account unfreezes when both are done. If the "
        "link expired, ask for a new one on the status page."
    ),
    CaseStatus.RESTORED: gettext_lazy(
        "Your account is back. Sign in with your new password and your authenticator app."
    ),
    CaseStatus.REJECTED: gettext_lazy(
        "Support could not confirm that the account is yours; the e-mail we sent says why. You can make a "
        "new request with other documents."
    ),
    CaseStatus.CANCELLED: gettext_lazy(
        "The account holder cancelled this request from a browser they have used for a long time. If that "
        "was not you, open the link we e-mailed to your contact address to freeze the account again."
    ),
    CaseStatus.FALSE_ALARM: gettext_lazy("Support found nothing wrong and unfroze the account."),
    CaseStatus.EXPIRED: gettext_lazy(
        "No document arrived within 14 days, so the case was closed. Make a new request when you have them."
    ),
}


def next_step(case: RecoveryCase) -> str:
    """What happens next, in plain words, for the person who asked."""
    return NEXT_STEPS[CaseStatus(case.status)]
