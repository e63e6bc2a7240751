"""/recover/ and the status page: nobody signs in for these, and neither says whether an account exists."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from audit.events import RequestContext
from recovery.forms import RecoveryRequestForm, StatusForm
from recovery.services import cases
from recovery.throttles import RecoveryRequestThrottle

SENT_SESSION_KEY = "recovery_sent_reference"


def _throttled(request, template, form):
    throttle = RecoveryRequestThrottle()
    if throttle.allow_request(request):
        return None
    wait = throttle.wait()
    response = render(request, template, {"form": form, "retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def request_recovery(request):
    """Ask to recover an account: the same answer whether or not an account uses the address."""
    form = RecoveryRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return render(request, "recovery/request.html", {"form": form})
    refused = _throttled(request, "recovery/request.html", form)
    if refused:
        return refused
    if not form.is_valid():
        return render(request, "recovery/request.html", {"form": form}, status=400)
    case = cases.submit_request(
        account_email=form.cleaned_data["account_email"],
        contact_email=form.cleaned_data["contact_email"],
        description=form.cleaned_data["description"],
        wants_sign_in_address=form.cleaned_data["make_sign_in_address"],
        context=RequestContext.from_request(request),
    )
    request.session[SENT_SESSION_KEY] = case.reference
    return redirect("recovery:sent")


@never_cache
def request_sent(request):
    reference = request.session.get(SENT_SESSION_KEY)
    if not reference:
        return redirect("recovery:request")
    return render(request, "recovery/sent.html", {"reference": reference})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """Send the case's current link again, given its reference and contact address."""
    form = StatusForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return render(request, "recovery/status.html", {"form": form})
    refused = _throttled(request, "recovery/status.html", form)
    if refused:
        return refused
    if not form.is_valid():
        return render(request, "recovery/status.html", {"form": form}, status=400)
    cases.send_new_link(
        form.cleaned_data["reference"],
        form.cleaned_data["contact_email"],
        RequestContext.from_request(request),
    )
    return render(request, "recovery/status.html", {"form": StatusForm(), "sent": True})
