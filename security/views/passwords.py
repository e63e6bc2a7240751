"""Pages that set a password: change while signed in, and reset by e-mail."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from audit.events import RequestContext
from notifications import links
from security.forms import NewPasswordForm, PasswordChangeForm, PasswordResetRequestForm
from security.passwords import changes as password_changes
from security.throttles import PasswordChangeThrottle, PasswordResetRequestThrottle


def _too_many(request, template, form, throttle):
    wait = throttle.wait()
    response = render(request, template, {"form": form, "retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters("current_password", "new_password", "new_password_again")
@login_required
@never_cache
def password_change(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        throttle = PasswordChangeThrottle()
        if not throttle.allow_request(request, None):
            return _too_many(request, "security/password_change.html", form, throttle)
        if form.is_valid():
            try:
                password_changes.change_password(
                    request.user,
                    current_password=form.cleaned_data["current_password"],
                    new_password=form.cleaned_data["new_password"],
                    context=RequestContext.from_request(request),
                    request=request,
                )
            except password_changes.WrongCurrentPassword:
                form.add_error("current_password", password_changes.WRONG_CURRENT_PASSWORD)
            except ValidationError as refusal:
                form.add_error("new_password", refusal)
            else:
                messages.success(
                    request,
                    _("Your password has been changed. Every other session of your account has ended."),
                )
                return redirect("security:password-change")
        status = 400
    return render(request, "security/password_change.html", {"form": form}, status=status)


@csrf_protect
@never_cache
def password_reset(request):
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        throttle = PasswordResetRequestThrottle()
        if not throttle.allow_request(request, None):
            return _too_many(request, "security/password_reset_request.html", form, throttle)
        if form.is_valid():
            password_changes.request_password_reset(
                form.cleaned_data["email"], RequestContext.from_request(request)
            )
            return redirect("security:password-reset-done")
        return render(request, "security/password_reset_request.html", {"form": form}, status=400)
    return render(request, "security/password_reset_request.html", {"form": form})


def password_reset_done(request):
    return render(request, "security/password_reset_done.html")


@sensitive_post_parameters("new_password", "new_password_again")
@csrf_protect
@never_cache
def password_reset_confirm(request):
    """The page a reset link opens, once the link's token has been traded for the session."""
    user = password_changes.user_in_reset(request)
    if user is None:
        return render(request, "security/password_reset_invalid.html", status=400)
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                password_changes.reset_password(
                    request,
                    new_password=form.cleaned_data["new_password"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as refusal:
                form.add_error("new_password", refusal)
            except links.LinkInvalid as invalid:
                return render(
                    request,
                    "security/password_reset_invalid.html",
                    {"reason": invalid.message},
                    status=invalid.status,
                )
            else:
                # Nobody is signed in by a reset: the next sign-in asks for the second step as usual.
                if request.user.is_authenticated:
                    logout(request)
                messages.success(
                    request,
                    _("Your password has been reset and every session has ended. Sign in with it now."),
                )
                return redirect("security:login")
        status = 400
    return render(
        request, "security/password_reset_confirm.html", {"form": form, "reset_user": user}, status=status
    )
