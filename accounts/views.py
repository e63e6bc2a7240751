"""Pages: signing in and out, the shop chooser and each shop's dashboard."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import LoginForm
from permissions.checks import shop_view
from permissions.registry import ROLES, Grant
from security.events import RequestContext
from security.step_up import safe_next


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("accounts:shops")
    form = LoginForm(request.POST if request.method == "POST" else None)
    status, refusal = 200, None
    if request.method == "POST":
        if form.is_valid():
            context = RequestContext.from_request(request)
            try:
                user = services.check_credentials(
                    request, form.cleaned_data["email"], form.cleaned_data["password"], context
                )
            except services.LoginRefused as refused:
                form.add_error(None, refused.message)
                status, refusal = refused.http_status, refused
            else:
                if services.sign_in(request, user, context):
                    verify = redirect("security:login-verify")
                    next_url = safe_next(request, "")
                    if next_url:
                        verify["Location"] += "?" + urlencode({"next": next_url})
                    return verify
                return redirect(safe_next(request, "/shops/"))
        else:
            status = 400
    response = render(
        request, "accounts/login.html", {"form": form, "next": safe_next(request, "")}, status=status
    )
    return refusal.add_headers(response) if refusal else response


@require_POST
def logout_view(request):
    services.sign_out(request, RequestContext.from_request(request))
    return redirect("accounts:login")


@login_required
def shop_list(request):
    memberships = list(selectors.memberships_of(request.user))
    return render(request, "accounts/shops.html", {"memberships": memberships})


@login_required
@shop_view()
def shop_dashboard(request, slug):
    return render(request, "accounts/dashboard.html")


@login_required
@shop_view(Grant.USERS_MANAGE)
def shop_members(request, slug):
    """User Management: who is in the shop, with which roles, and what each role can do."""
    members = list(selectors.members_of(request.membership.shop))
    roles = [(role, [grant for grant in Grant if grant in role.grants]) for role in ROLES.values()]
    return render(request, "accounts/members.html", {"members": members, "roles": roles})
