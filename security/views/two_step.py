"""Pages for two-step verification: the login's second step, the Account Security page, enrolment,
step-up, recovery codes and a shop's requirement."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from permissions.checks import shop_view
from permissions.registry import Grant
from security import sessions, two_step
from security.activity import account_security_context
from security.events import RequestContext
from security.forms import CodeForm, PreferredMethodForm, ShopTwoStepForm
from security.step_up import safe_next, step_up_required


def _refused(response_status: int, error: two_step.TwoStepError, form):
    """Put a refusal on the form; returns the status to answer with."""
    form.add_error(None if isinstance(error, two_step.Throttled) else "code", error.message)
    return error.status if isinstance(error, two_step.Throttled) else response_status


def _render(request, template, context, status=200, wait=None):
    response = render(request, template, context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters("code")
@login_required
@never_cache
def login_verify(request):
    if not request.session.get(sessions.TWO_STEP_PENDING):
        return redirect("accounts:shops")
    user = request.user
    context = RequestContext.from_request(request)
    next_url = safe_next(request)
    email_mode = (request.POST.get("method") or request.GET.get("method")) == two_step.Method.EMAIL
    if request.method == "POST" and request.POST.get("action") == "send_email":
        try:
            two_step.send_email_code(user, context)
        except two_step.TwoStepError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"We sent a 6-digit code to {user.email}. It works once, for 10 minutes."
            )
        query = {"method": "email", **({"next": next_url} if next_url else {})}
        return redirect(f"{reverse('security:login-verify')}?{urlencode(query)}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        if form.is_valid():
            code = form.cleaned_data["code"]
            method = two_step.Method.EMAIL if email_mode else two_step.infer_method(code)
            try:
                two_step.verify_second_step(request, method, code, context)
            except two_step.TwoStepError as error:
                status = _refused(400, error, form)
                wait = getattr(error, "wait", None)
            else:
                return redirect(next_url or reverse("accounts:shops"))
        else:
            status = 400
    return _render(
        request,
        "security/login_verify.html",
        {
            "form": form,
            "next": next_url,
            "email_mode": email_mode,
            "prefers_email": user.preferred_two_step_method == two_step.Method.EMAIL,
        },
        status=status,
        wait=wait,
    )


@login_required
@never_cache
def account_security(request):
    user = request.user
    enabled = two_step.is_enabled(user)
    context = {
        "two_step_enabled": enabled,
        "totp_device": two_step.totp_device(user) if enabled else None,
        "recovery_codes_left": two_step.recovery_codes_left(user) if enabled else 0,
        "preferred_form": PreferredMethodForm(initial={"method": user.preferred_two_step_method}),
        "preferred_label": user.get_preferred_two_step_method_display(),
        "required_by": two_step.shops_requiring_two_step(user),
        "step_up_fresh": two_step.is_fresh(request),
        **account_security_context(request),
    }
    return render(request, "security/account_security.html", context)


@sensitive_post_parameters("code")
@login_required
@never_cache
def totp_enrol(request):
    user = request.user
    if two_step.is_enabled(user):
        messages.info(request, "Two-step verification is already on.")
        return redirect("security:account-security")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = two_step.confirm_totp(
                    request, form.cleaned_data["code"], RequestContext.from_request(request)
                )
            except two_step.TwoStepError as error:
                status = _refused(400, error, form)
                wait = getattr(error, "wait", None)
            else:
                return _recovery_codes_page(request, codes, enrolled=True)
        else:
            status = 400
    device = two_step.pending_totp_device(user)
    return _render(
        request,
        "security/totp_enrol.html",
        {
            "form": form,
            "secret": two_step.base32_secret(device),
            "otpauth_uri": two_step.otpauth_uri(device),
            "qr_svg": two_step.qr_svg(device),
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
    user = request.user
    next_url = safe_next(request, reverse("security:account-security"))
    enabled = two_step.is_enabled(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST" and enabled:
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                two_step.step_up(
                    request, two_step.infer_method(code), code, RequestContext.from_request(request)
                )
            except two_step.TwoStepError as error:
                status = _refused(400, error, form)
                wait = getattr(error, "wait", None)
            else:
                return redirect(next_url)
        else:
            status = 400
    elif request.method == "POST":
        status = 409
    return _render(
        request,
        "security/step_up.html",
        {"form": form, "next": next_url, "two_step_enabled": enabled},
        status=status,
        wait=wait,
    )


@login_required
@never_cache
@step_up_required
def disable(request):
    user = request.user
    if not two_step.is_enabled(user):
        return redirect("security:account-security")
    if request.method == "POST":
        try:
            two_step.disable(user, RequestContext.from_request(request))
        except two_step.TwoStepError as error:
            messages.error(request, error.message)
        else:
            two_step.forget_verification(request)
            messages.success(request, "Two-step verification is off. We e-mailed you about this change.")
        return redirect("security:account-security")
    return render(
        request, "security/two_step_disable.html", {"required_by": two_step.shops_requiring_two_step(user)}
    )


@login_required
@never_cache
@step_up_required
def recovery_codes(request):
    user = request.user
    if not two_step.is_enabled(user):
        return redirect("security:account-security")
    if request.method == "POST":
        codes = two_step.regenerate_recovery_codes(user, RequestContext.from_request(request))
        return _recovery_codes_page(request, codes, enrolled=False)
    return render(
        request, "security/recovery_codes_regenerate.html", {"codes_left": two_step.recovery_codes_left(user)}
    )


@require_POST
@login_required
def preferred_method(request):
    form = PreferredMethodForm(request.POST)
    if form.is_valid() and two_step.is_enabled(request.user):
        two_step.set_preferred_method(request.user, form.cleaned_data["method"])
        messages.success(request, "Your preferred method is saved.")
    else:
        messages.error(
            request, "Choose the authenticator app or e-mail, after turning on two-step verification."
        )
    return redirect("security:account-security")


@login_required
@never_cache
@shop_view(Grant.USERS_MANAGE)
@step_up_required
def shop_two_step(request, slug):
    membership = request.membership
    shop = membership.shop
    if request.method == "POST":
        form = ShopTwoStepForm(request.POST)
        if form.is_valid():
            required = form.cleaned_data["require"]
            two_step.set_shop_requirement(
                shop, by=request.user, required=required, context=RequestContext.from_request(request)
            )
            messages.success(
                request,
                "Every member now needs two-step verification to open this shop."
                if required
                else "Two-step verification is now optional in this shop.",
            )
        return redirect(safe_next(request, reverse("security:shop-two-step", args=[shop.slug])))
    return render(request, "security/shop_two_step.html", {"shop": shop, "membership": membership})
