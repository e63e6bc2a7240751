"""The owner's way back after approval: the set-password link's page (a new password, then the
authenticator app), and the recovery codes at the end. Nobody is signed in here: the account is
frozen until both steps are done, then the owner signs in as usual."""

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.selectors import two_step_enabled
from audit.events import RequestContext
from notifications import links
from recovery.services import approval, notices
from recovery.services.errors import CaseRefused
from security.forms import CodeForm, NewPasswordForm
from security.two_step import devices, enrolment, errors


def _holds_link(request) -> bool:
    try:
        links.held(request, notices.RESTORE_PURPOSE)
    except links.LinkInvalid:
        return False
    return True


@sensitive_post_parameters("new_password", "new_password_again", "code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def restore(request):
    case = approval.case_in_restore(request)
    if case is None:
        return render(request, "recovery/restore_unavailable.html", status=400)
    if request.user.is_authenticated:
        # Whoever this browser was signed in as, the way back is for the case's owner alone.
        logout(request)
    if _holds_link(request):
        return _password_step(request, case)
    return _two_step_step(request, case)


def _password_step(request, case):
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                approval.set_password(
                    request, form.cleaned_data["new_password"], context=RequestContext.from_request(request)
                )
            except ValidationError as refusal:
                form.add_error("new_password", refusal)
            except links.LinkInvalid as invalid:
                return render(
                    request,
                    "recovery/restore_unavailable.html",
                    {"reason": invalid.message},
                    status=invalid.status,
                )
            else:
                return redirect("recovery:restore")
        status = 400
    return render(request, "recovery/restore_password.html", {"form": form, "case": case}, status=status)


def _two_step_step(request, case):
    context = RequestContext.from_request(request)
    user = case.user
    if two_step_enabled(user):
        # Enrolled, but the case did not close (the page was left half-way): finish it now.
        approval.finish(case.pk, context=context)
        return render(request, "recovery/restored.html", {"codes": None})
    device = enrolment.pending_totp_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = approval.enrol_two_step(request, case, form.cleaned_data["code"], context=context)
            except errors.TwoStepError as error:
                form.add_error("code", error.message)
                status, wait = error.status, getattr(error, "wait", None)
            except CaseRefused as refused:
                form.add_error(None, refused.message)
                status = 409
            else:
                response = render(
                    request, "recovery/restored.html", {"codes": codes, "codes_text": "\n".join(codes) + "\n"}
                )
                response["Cache-Control"] = "no-store"
                return response
        else:
            status = 400
    response = render(
        request,
        "recovery/restore_two_step.html",
        {
            "form": form,
            "case": case,
            "account_email": user.email,
            "secret": devices.base32_secret(device),
            "qr_svg": devices.qr_svg(device),
        },
        status=status,
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response
