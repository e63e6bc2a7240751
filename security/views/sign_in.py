"""Pages of signing in: the password step, the second step, and signing out."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.models import SecondStepMethod
from audit.events import RequestContext
from security import sessions
from security.forms import CodeForm, LoginForm
from security.redirects import safe_next
from security.sign_in import Outcome, sign_in, sign_out
from security.two_step import email_codes, errors
from security.two_step.devices import infer_method
from security.two_step.sign_in_step import send_email_code, verify_second_step
from security.views.common import code_refused, render_with_wait


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("accounts:shops")
    form = LoginForm(request.POST if request.method == "POST" else None)
    status, result = 200, None
    if request.method == "POST":
        if form.is_valid():
            result = sign_in(
                request,
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                RequestContext.from_request(request),
            )
            next_url = safe_next(request, "")
            if result.outcome == Outcome.SECOND_STEP_DUE:
                query = f"?{urlencode({'next': next_url})}" if next_url else ""
                return redirect(reverse("security:login-verify") + query)
            if result.outcome == Outcome.SIGNED_IN:
                return redirect(next_url or reverse("accounts:shops"))
            form.add_error(None, result.message)
            status = result.http_status
        else:
            status = 400
    response = render(
        request, "security/login.html", {"form": form, "next": safe_next(request, "")}, status=status
    )
    return result.add_headers(response) if result else response


@require_POST
def logout_view(request):
    was_signed_in = request.user.is_authenticated
    sign_out(request, RequestContext.from_request(request))
    if was_signed_in:
        messages.success(request, _("You are signed out. On a computer others use, close the browser too."))
    return redirect("security:login")


@sensitive_post_parameters("code")
@login_required
@never_cache
def login_verify(request):
    if not request.session.get(sessions.TWO_STEP_PENDING):
        return redirect("accounts:shops")
    user = request.user
    context = RequestContext.from_request(request)
    next_url = safe_next(request)
    email_mode = (request.POST.get("method") or request.GET.get("method")) == SecondStepMethod.EMAIL
    if request.method == "POST" and request.POST.get("action") == "send_email":
        try:
            send_email_code(user, context)
        except errors.TwoStepError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("We sent a 6-digit code to %(email)s. It works once, for 10 minutes.")
                % {"email": user.email},
            )
        query = {"method": "email", **({"next": next_url} if next_url else {})}
        return redirect(f"{reverse('security:login-verify')}?{urlencode(query)}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        if form.is_valid():
            code = form.cleaned_data["code"]
            method = SecondStepMethod.EMAIL if email_mode else infer_method(code)
            try:
                verify_second_step(request, method, code, context)
            except errors.TwoStepError as error:
                status, wait = code_refused(error, form)
            else:
                return redirect(next_url or reverse("accounts:shops"))
        else:
            status = 400
    refused_since = email_codes.refused_since(user)
    return render_with_wait(
        request,
        "security/login_verify.html",
        {
            "form": form,
            "next": next_url,
            "email_mode": email_mode and refused_since is None,
            "prefers_email": user.preferred_two_step_method == SecondStepMethod.EMAIL,
            "email_code_refused": email_codes.refusal_message(refused_since, link=True)
            if refused_since
            else "",
        },
        status=status,
        wait=wait,
    )
