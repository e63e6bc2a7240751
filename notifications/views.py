"""The page every e-mailed link opens (notifications/links.py explains the mechanism)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from notifications import links


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def open_link(request):
    """GET shows the page whose script posts the fragment's token; POST trades it and moves on."""
    if request.method == "GET":
        return render(request, "notifications/link.html")
    try:
        link = links.redeem(request, request.POST.get("token", ""))
    except links.LinkInvalid as invalid:
        return render(request, "notifications/link.html", {"error": invalid.message}, status=invalid.status)
    return redirect(reverse(link.landing))
