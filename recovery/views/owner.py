"""The recovery panel on Account Security and what it leads to: "Freeze my account", cancelling an
unproven request as "not me", hardened recovery; and the contact address's freeze-again link."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import two_step_enabled
from audit.events import RequestContext
from notifications import links
from recovery.models import UNDECIDED
from recovery.services import owner
from recovery.services.cases import open_case_of
from recovery.services.errors import CaseRefused
from security.two_step.step_up import is_fresh, step_up_required


def account_security_panel(request) -> dict | None:
    """The context of the recovery panel on Account Security (accounts.panels)."""
    user = request.user
    if not user.is_authenticated:
        return None
    case = open_case_of(user)
    return {
        "recovery_case": case,
        "recovery_cancellable": bool(
            user.is_frozen and not user.is_fully_frozen and (case is None or case.status in UNDECIDED)
        ),
        "recovery_frozen": user.is_frozen,
        "hardened_on": user.has_hardened_recovery,
        "hardened_ends_at": user.hardened_recovery_ends_at if user.has_hardened_recovery else None,
        "recovery_step_up_fresh": is_fresh(request),
        # Cancelling as "not me" needs a fresh code from the app (SPEC §6): say so before the button.
        "recovery_two_step_on": two_step_enabled(user),
    }


@login_required
@never_cache
@step_up_required
@require_http_methods(["GET", "POST"])
def freeze_my_account(request):
    """Block every device at once (a fresh second step first): for an owner who fears someone else
    is in, or about to be."""
    if request.method == "GET":
        return render(request, "recovery/freeze_mine.html")
    owner.freeze_my_account(request.user, context=RequestContext.from_request(request))
    # Every session ended with the freeze, this one included.
    logout(request)
    return render(request, "recovery/frozen_by_you.html")


@login_required
@never_cache
@step_up_required
@require_http_methods(["GET", "POST"])
def not_me(request):
    """Cancel a recovery request that someone else made (a fresh second step first)."""
    case = open_case_of(request.user)
    if request.method == "GET":
        return render(request, "recovery/not_me.html", {"case": case})
    try:
        cancelled = owner.cancel_as_not_me(request.user, context=RequestContext.from_request(request))
    except CaseRefused as refused:
        messages.error(request, refused.message)
        return redirect("security:account-security")
    messages.success(
        request,
        _("The recovery request is cancelled and your account is unfrozen.")
        + (" " + _("We e-mailed the address it gave.") if cancelled and cancelled.contact_email else ""),
    )
    return redirect("security:account-security")


@login_required
@require_POST
def hardened_on(request):
    if owner.turn_on_hardened_recovery(request.user, context=RequestContext.from_request(request)):
        messages.success(
            request, _("Hardened recovery is on: recovering this account now takes two support agents.")
        )
    return redirect("security:account-security")


@login_required
@never_cache
@step_up_required
@require_http_methods(["GET", "POST"])
def hardened_off(request):
    """Turning hardened recovery off waits 7 days, and asks for a fresh second step first."""
    if request.method == "GET":
        return render(request, "recovery/hardened_off.html")
    try:
        ends_at = owner.turn_off_hardened_recovery(request.user, context=RequestContext.from_request(request))
    except CaseRefused as refused:
        messages.error(request, refused.message)
    else:
        when = dateformat.format(timezone.localtime(ends_at), "j M Y, H:i e")
        messages.success(
            request,
            _("Hardened recovery ends on %(when)s unless you keep it. We e-mailed you.") % {"when": when},
        )
    return redirect("security:account-security")


@login_required
@require_POST
def hardened_keep(request):
    if owner.keep_hardened_recovery(request.user, context=RequestContext.from_request(request)):
        messages.success(request, _("Hardened recovery stays on."))
    return redirect("security:account-security")


@never_cache
@require_http_methods(["GET", "POST"])
def reopen(request):
    """The page the contact address's freeze-again link opens: GET asks (mail scanners follow
    links), POST freezes the account on every device and puts the case back in support's queue."""
    case = owner.case_to_reopen(request)
    if case is None:
        return render(request, "recovery/reopen_unavailable.html", status=400)
    if request.method == "GET":
        return render(request, "recovery/reopen.html", {"case": case})
    try:
        case = owner.reopen_from_contact(request, context=RequestContext.from_request(request))
    except links.LinkInvalid as invalid:
        return render(
            request, "recovery/reopen_unavailable.html", {"reason": invalid.message}, status=invalid.status
        )
    return render(request, "recovery/reopened.html", {"case": case})
