"""Pages for two-step verification: the Account Security page, enrolment, step-up, turning it off,
recovery codes and the preferred method. (A shop's requirement is set on team's member settings.)"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.selectors import shops_requiring_two_step, two_step_enabled
from audit.events import RequestContext
from security import login_protection, reauthentication, selectors
from security.forms import CodeForm, ConfirmPasswordForm, PreferredMethodForm
from security.reauthentication import reauthentication_required
from security.redirects import safe_next
from security.two_step import devices, enrolment, errors
from security.two_step.step_up import is_fresh, step_up_required
from security.two_step.step_up import step_up as pass_step_up
from security.views.common import code_refused, render_with_wait

RECENT_EVENTS = 10
LOCKOUT_SHOWN_FOR = timedelta(days=30)


@login_required
@never_cache
def account_security(request):
    user = request.user
    enabled = two_step_enabled(user)
    session_rows = list(selectors.active_sessions(user))
    for row in session_rows:
        row.current = row.session_key == request.session.session_key
    context = {
        "two_step_enabled": enabled,
        "totp_device": devices.totp_device(user) if enabled else None,
        "recovery_codes_left": devices.recovery_codes_left(user) if enabled else 0,
        "preferred_form": PreferredMethodForm(initial={"method": user.preferred_two_step_method}),
        "preferred_label": user.get_preferred_two_step_method_display(),
        "required_by": shops_requiring_two_step(user),
        "step_up_fresh": is_fresh(request),
        "sessions": session_rows,
        "other_sessions": sum(not row.current for row in session_rows),
        "recent_events": list(selectors.events_of_user(user)[:RECENT_EVENTS]),
        "lockout": _recent_lockout(user),
    }
    return render(request, "security/account_security.html", context)


def _recent_lockout(user):
    """The account's latest lock against password guessing, when it began in the last 30 days."""
    lockout = login_protection.latest_lockout(user)
    if lockout is None or lockout.started_at < timezone.now() - LOCKOUT_SHOWN_FOR:
        return None
    return lockout


@sensitive_post_parameters("password")
@login_required
@never_cache
def confirm_password(request):
    """The password prompt of recent authentication: two-step settings need it (SPEC §6)."""
    next_url = safe_next(request, reverse("security:account-security"))
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                reauthentication.confirm_password(
                    request, form.cleaned_data["password"], RequestContext.from_request(request)
                )
            except reauthentication.TooManyGuesses as spent:
                form.add_error(
                    None,
                    _("Too many tries. Wait %(seconds)d seconds, then try again.") % {"seconds": spent.wait},
                )
                status, wait = 429, spent.wait
            except reauthentication.WrongPassword:
                form.add_error("password", reauthentication.WRONG_PASSWORD)
                status = 400
            else:
                return redirect(next_url)
        else:
            status = 400
    return render_with_wait(
        request, "security/confirm_password.html", {"form": form, "next": next_url}, status=status, wait=wait
    )


@sensitive_post_parameters("code")
@login_required
@never_cache
@reauthentication_required
def totp_enrol(request):
    user = request.user
    if two_step_enabled(user):
        messages.info(request, _("Two-step verification is already on."))
        return redirect("security:account-security")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = enrolment.confirm_totp(
                    request, form.cleaned_data["code"], RequestContext.from_request(request)
                )
            except errors.TwoStepError as error:
                status, wait = code_refused(error, form)
            else:
                return _recovery_codes_page(request, codes, enrolled=True)
        else:
            status = 400
    device = enrolment.pending_totp_device(user)
    return render_with_wait(
        request,
        "security/totp_enrol.html",
        {
            "form": form,
            "secret": devices.base32_secret(device),
            "otpauth_uri": devices.otpauth_uri(device),
            "qr_svg": devices.qr_svg(device),
        },
        status=status,
        wait=wait,
    )


def _recovery_codes_page(request, codes, *, enrolled: bool):
    response = render(
        request,
        "security/recovery_codes.html",
        {"codes": codes, "codes_text": "\n".join(codes) + "\n", "enrolled": enrolled},
    )
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("code")
@login_required
@never_cache
def step_up(request):
    next_url = safe_next(request, reverse("security:account-security"))
    enabled = two_step_enabled(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST" and enabled:
        if form.is_valid():
            try:
                pass_step_up(request, None, form.cleaned_data["code"], RequestContext.from_request(request))
            except errors.TwoStepError as error:
                status, wait = code_refused(error, form)
            else:
                return redirect(next_url)
        else:
            status = 400
    elif request.method == "POST":
        status = 409
    return render_with_wait(
        request,
        "security/step_up.html",
        {"form": form, "next": next_url, "two_step_enabled": enabled},
        status=status,
        wait=wait,
    )


@login_required
@never_cache
@reauthentication_required
@step_up_required
def disable(request):
    user = request.user
    if not two_step_enabled(user):
        return redirect("security:account-security")
    if request.method == "POST":
        try:
            enrolment.disable(
                user, RequestContext.from_request(request), keep_session_key=request.session.session_key
            )
        except errors.TwoStepError as error:
            messages.error(request, error.message)
        else:
            enrolment.forget_verification(request)
            messages.success(
                request,
                _(
                    "Two-step verification is off, and your other sessions are signed out. "
                    "We e-mailed you about this change."
                ),
            )
        return redirect("security:account-security")
    return render(request, "security/two_step_disable.html", {"required_by": shops_requiring_two_step(user)})


@login_required
@never_cache
@reauthentication_required
@step_up_required
def recovery_codes(request):
    user = request.user
    if not two_step_enabled(user):
        return redirect("security:account-security")
    if request.method == "POST":
        codes = enrolment.regenerate_recovery_codes(
            user, RequestContext.from_request(request), keep_session_key=request.session.session_key
        )
        return _recovery_codes_page(request, codes, enrolled=False)
    return render(
        request, "security/recovery_codes_regenerate.html", {"codes_left": devices.recovery_codes_left(user)}
    )


@require_POST
@login_required
@reauthentication_required(back="security:account-security")
def preferred_method(request):
    form = PreferredMethodForm(request.POST)
    if form.is_valid() and two_step_enabled(request.user):
        enrolment.set_preferred_method(
            request.user, form.cleaned_data["method"], context=RequestContext.from_request(request)
        )
        messages.success(request, _("Your preferred method is saved."))
    else:
        messages.error(
            request, _("Choose the authenticator app or e-mail, after turning on two-step verification.")
        )
    return redirect("security:account-security")
