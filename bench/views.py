"""The baselines: what stock Django would do for the same pages, with nothing of ours in the way."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from accounts.models import Membership


@login_required
def stock_dashboard(request, slug):
    """The shop dashboard's template and context behind nothing but Django's login_required."""
    membership = get_object_or_404(
        Membership.objects.select_related("shop"), user=request.user, shop__slug=slug, status="active"
    )
    # The layout's context processor reads it, exactly as for the real dashboard.
    request.membership = membership
    return render(request, "accounts/dashboard.html")
