"""Pages for two-step verification: the login's second step, the Account Security page, enrolment."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from security import sessions, two_step
from security.events import RequestContext
from security.forms import CodeForm


@login_required
@never_cache
def login_verify(request):
    if not request.session.get(sessions.TWO_STEP_PENDING):
        return redirect("accounts:shops")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and two_step.verify_second_step(
            request, form.cleaned_data["code"], RequestContext.from_request(request)
        ):
            return redirect("accounts:shops")
        form.add_error("code", "That code is not valid. Check it and try again.")
        status = 400
    return render(request, "security/login_verify.html", {"form": form}, status=status)


@login_required
def account_security(request):
    return render(request, "security/account_security.html")
