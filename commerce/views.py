from django.http import Http404
from django.shortcuts import render

from permissions.checks import membership_or_404, require_grant
from permissions.registry import MODULES_BY_SLUG


def module_page(request, slug, module):
    membership = membership_or_404(request, slug)
    if module not in MODULES_BY_SLUG:
        raise Http404("No such page.")
    require_grant(membership, MODULES_BY_SLUG[module].view_grant)
    return render(request, "base.html")
