"""Pages for sessions, the security log and the "This wasn't me" link."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import shop_view
from audit.events import RequestContext
from notifications import links
from permissions.registry import Grant
from security import selectors, sessions
from security.forms import EventFilterForm
from security.freeze import FREEZE_LINK_PURPOSE, freeze_from_link

EVENTS_PER_PAGE = 25


def _log_page(request, events, *, title: str, shop=None):
    form = EventFilterForm(request.GET or None, kinds=selectors.kinds_in(events))
    status = 200
    if form.is_bound and not form.is_valid():
        status, events = 400, events.none()
    elif form.is_bound:
        events = selectors.filter_events(events, **form.cleaned_data)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {"title": title, "form": form, "page": page, "filters": urlencode(filters), "show_user": shop}
    return render(request, "security/events.html", context, status=status)


@require_GET
@login_required
def account_events(request):
    return _log_page(request, selectors.events_of_user(request.user), title=_("Your security log"))


@require_GET
@login_required
@shop_view(Grant.USERS_MANAGE, page=gettext_lazy("the shop's security log"))
def shop_events(request, slug):
    shop = request.membership.shop
    return _log_page(
        request,
        selectors.events_of_shop(shop),
        title=_("Security log of %(shop)s") % {"shop": shop.name},
        shop=shop,
    )


@require_POST
@login_required
def end_session(request, pk):
    try:
        ended = sessions.end_session(
            request.user,
            pk,
            current_key=request.session.session_key,
            context=RequestContext.from_request(request),
        )
    except sessions.CurrentSessionError as error:
        messages.error(request, str(error))
    else:
        if ended:
            messages.success(request, _("That session was ended: it is signed out on its next request."))
        else:
            messages.error(request, _("That session had already ended."))
    return redirect("security:account-security")


@require_POST
@login_required
def end_other_sessions(request):
    ended = sessions.end_other_sessions(
        request.user, current_key=request.session.session_key, context=RequestContext.from_request(request)
    )
    messages.success(
        request,
        ngettext("Signed out %(count)d other session.", "Signed out %(count)d other sessions.", ended)
        % {"count": ended},
    )
    return redirect("security:account-security")


@never_cache
@require_http_methods(["GET", "POST"])
def freeze(request):
    """The page a "This wasn't me" link opens: GET asks (mail scanners follow links), POST freezes."""
    try:
        link = links.held(request, FREEZE_LINK_PURPOSE)
        if request.method == "POST":
            freeze_from_link(link, context=RequestContext.from_request(request))
            return render(request, "security/freeze_done.html")
    except links.LinkInvalid as invalid:
        return render(
            request, "security/freeze_invalid.html", {"reason": invalid.message}, status=invalid.status
        )
    return render(request, "security/freeze_confirm.html", {"link": link})
