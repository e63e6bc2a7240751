"""Pages that change the account's e-mail address (security/email_change.py explains the guards)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.events import RequestContext
from notifications import links
from security import email_change
from security.forms import EmailChangeForm
from security.throttles import EmailChangeThrottle
from security.two_step.step_up import step_up_required


@login_required
@never_cache
@step_up_required
def change(request):
    """Ask for the new address (after a fresh second step); the link goes there."""
    form = EmailChangeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        throttle = EmailChangeThrottle()
        if not throttle.allow_request(request):
            wait = throttle.wait()
            minutes = -(-wait // 60)
            form.add_error(
                None,
                ngettext(
                    "You asked for too many address changes in a short time. Try again in %(count)d minute.",
                    "You asked for too many address changes in a short time. Try again in %(count)d minutes.",
                    minutes,
                )
                % {"count": minutes},
            )
            response = render(request, "security/email_change.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            try:
                pending = email_change.request_email_change(
                    request.user, form.cleaned_data["new_email"], context=RequestContext.from_request(request)
                )
            except email_change.EmailChangeRefused as refusal:
                form.add_error("new_email", refusal.message)
                status = refusal.status
            else:
                messages.success(
                    request,
                    _(
                        "We sent a link to %(new)s. Open it within 24 hours to finish the change; "
                        "until then you keep signing in with %(current)s."
                    )
                    % {"new": pending.new_email, "current": request.user.email},
                )
                return redirect("accounts:account-information")
        else:
            status = 400
    return render(request, "security/email_change.html", {"form": form}, status=status)


@require_POST
@login_required
def cancel(request):
    if email_change.cancel_email_change(request.user, context=RequestContext.from_request(request)):
        messages.success(request, _("The e-mail address change is cancelled: its link no longer works."))
    else:
        messages.info(request, _("No e-mail address change was waiting."))
    return redirect("accounts:account-information")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request):
    """The page the link sent to the new address opens: GET asks (mail scanners follow links),
    POST moves the account."""
    try:
        link = links.held(request, email_change.EMAIL_CHANGE_PURPOSE)
        pending = email_change.change_for_link(link)
        if request.method == "POST":
            done = email_change.confirm_email_change(link, context=RequestContext.from_request(request))
            links.release(request, email_change.EMAIL_CHANGE_PURPOSE)
            return render(request, "security/email_change_done.html", {"change": done})
    except links.LinkInvalid as invalid:
        return render(
            request, "security/email_change_invalid.html", {"reason": invalid.message}, status=invalid.status
        )
    except email_change.EmailChangeRefused as refusal:
        return render(
            request, "security/email_change_invalid.html", {"reason": refusal.message}, status=refusal.status
        )
    return render(request, "security/email_change_confirm.html", {"change": pending})
