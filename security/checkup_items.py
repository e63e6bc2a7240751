"""The security app's own check-up items (security/checkup.py explains the registry).

Weights say what matters most against account takeover: the second step first, then the password
and the members' second step, then the rest.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import MembershipStatus
from security.checkup import STALE_SESSION_AGE, CheckupContext, Finding, Item, Scope, register

LOW_RECOVERY_CODES = 3


def two_step(ctx: CheckupContext) -> Finding:
    if ctx.facts.has_totp:
        return Finding(True, _("Two-step verification is on"))
    return Finding(
        False,
        _("Turn on two-step verification"),
        _("With it, a phished or leaked password alone cannot open your account, nor move your money."),
        _("Turn it on"),
        reverse("security:totp-enrol"),
    )


def recovery_codes(ctx: CheckupContext) -> Finding | None:
    if not ctx.facts.has_totp:
        return None
    left = ctx.facts.recovery_codes_left
    url = reverse("security:recovery-codes")
    if left == 0:
        return Finding(
            False,
            _("Make new recovery codes"),
            _("You have used them all: without your phone, nothing would get you back in."),
            _("Make new codes"),
            url,
        )
    if left < LOW_RECOVERY_CODES:
        return Finding(
            False,
            ngettext("Only %(count)s recovery code left", "Only %(count)s recovery codes left", left)
            % {"count": left},
            _("Make new ones and keep them somewhere safe and offline."),
            _("Make new codes"),
            url,
        )
    return Finding(True, _("%(count)s recovery codes ready, kept offline") % {"count": left})


def password(ctx: CheckupContext) -> Finding:
    verdict = ctx.facts.password
    url = reverse("security:password-change")
    if verdict is not None and verdict.current and verdict.passes:
        return Finding(True, _("Your password meets today's rules"))
    if verdict is not None and verdict.current:
        return Finding(
            False,
            _("Change your password"),
            _(
                "It breaks one of today's password rules: it may be short, common, or hold your name or "
                "birth date."
            ),
            _("Change password"),
            url,
        )
    return Finding(
        False,
        _("Check your password against today's rules"),
        _(
            "We can check it only when you sign in or set it, and your name, birth date or e-mail, or the "
            "rules, changed since. Change it now if it holds any of your details."
        ),
        _("Change password"),
        url,
    )


def anti_phishing_phrase(ctx: CheckupContext) -> Finding:
    if ctx.user.anti_phishing_phrase:
        return Finding(True, _("Anti-phishing phrase set"))
    return Finding(
        False,
        _("Set an anti-phishing phrase"),
        _("We show it in every e-mail, so you can tell ours from a fake at a glance."),
        _("Set a phrase"),
        reverse("accounts:account-information") + "#anti-phishing",
    )


def sessions(ctx: CheckupContext) -> Finding:
    stale = ctx.facts.stale_sessions
    if not stale:
        return Finding(True, _("No session left unused for weeks"))
    weeks = STALE_SESSION_AGE.days // 7
    return Finding(
        False,
        ngettext(
            "End %(count)s session unused for %(weeks)s weeks or more",
            "End %(count)s sessions unused for %(weeks)s weeks or more",
            stale,
        )
        % {"count": stale, "weeks": weeks},
        _("A session you no longer use is one more way into your account."),
        _("Review sessions"),
        reverse("security:account-security") + "#sessions",
    )


def members_two_step(ctx: CheckupContext, membership) -> Finding | None:
    if not membership.is_owner:
        return None
    shop = membership.shop
    counts = (
        shop.memberships.filter(status=MembershipStatus.ACTIVE)
        .exclude(user_id=shop.owner_id)
        .annotate(has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("user_id"), confirmed=True)))
        .aggregate(members=Count("pk"), without=Count("pk", filter=Q(has_app=False)))
    )
    if not counts["members"]:
        return None
    without = counts["without"]
    if not without:
        return Finding(True, _("Every member of %(shop)s uses two-step verification") % {"shop": shop.name})
    return Finding(
        False,
        ngettext(
            "%(count)s member of %(shop)s without two-step verification",
            "%(count)s members of %(shop)s without two-step verification",
            without,
        )
        % {"count": without, "shop": shop.name},
        _("A phished password would open the shop to anyone holding it."),
        _("See members"),
        reverse("team:members", args=[shop.slug]),
    )


def shop_requirement(ctx: CheckupContext, membership) -> Finding | None:
    if not membership.is_owner:
        return None
    shop = membership.shop
    if shop.require_two_step:
        return Finding(
            True, _("%(shop)s requires two-step verification of every member") % {"shop": shop.name}
        )
    return Finding(
        False,
        _("Require two-step verification in %(shop)s") % {"shop": shop.name},
        _("Members without it are sent to set it up before they can open any page of the shop."),
        _("Require it"),
        reverse("team:shop-two-step", args=[shop.slug]),
    )


def register_items() -> None:
    for item in (
        Item("security.two_step", Scope.ACCOUNT, two_step, weight=3, order=10),
        Item("security.recovery_codes", Scope.ACCOUNT, recovery_codes, weight=1, order=20),
        Item("security.password", Scope.ACCOUNT, password, weight=2, order=30),
        Item("security.anti_phishing_phrase", Scope.ACCOUNT, anti_phishing_phrase, weight=1, order=40),
        Item("security.sessions", Scope.ACCOUNT, sessions, weight=1, order=50),
        Item("security.members_two_step", Scope.SHOP, members_two_step, weight=2, order=60),
        Item("security.shop_requirement", Scope.SHOP, shop_requirement, weight=1, order=65),
    ):
        register(item)
