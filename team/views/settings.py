"""The shop's member settings: the company's e-mail domains and the two-step requirement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.errors import TeamRefusal
from audit.events import RequestContext
from security.redirects import safe_next
from team import services
from team.access import team_page
from team.forms import InviteDomainsForm, ShopTwoStepForm, add_service_errors


@team_page("users.settings")
def member_settings(request, slug):
    """Both settings on one page; the domains form posts here, the requirement to shop_two_step."""
    shop = request.membership.shop
    form = InviteDomainsForm(
        request.POST if request.method == "POST" else None,
        initial={"invite_domains": "\n".join(shop.invite_domains)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                revoked = services.set_member_settings(
                    request.membership,
                    invite_domains=form.cleaned_data["invite_domains"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            except TeamRefusal as refusal:
                messages.error(request, refusal.message)
                return redirect("team:settings", slug)
            else:
                domains = request.membership.shop.invite_domains
                text = (
                    _("Invitations now go to addresses at %(domains)s only.")
                    % {"domains": ", ".join(domains)}
                    if domains
                    else _("Invitations may go to any address.")
                )
                if revoked:
                    text += " " + ngettext(
                        "%(count)d pending invitation to other domains were revoked.",
                        "%(count)d pending invitations to other domains were revoked.",
                        revoked,
                    ) % {"count": revoked}
                messages.success(request, text)
                return redirect("team:settings", slug)
        else:
            status = 400
    return render(request, "team/settings.html", {"form": form}, status=status)


@team_page("users.settings")
def shop_two_step(request, slug):
    """Require two-step verification of every member, or stop requiring it (every member is told)."""
    shop = request.membership.shop
    if request.method == "POST":
        form = ShopTwoStepForm(request.POST)
        if form.is_valid():
            required = form.cleaned_data["require"]
            try:
                services.set_member_settings(
                    request.membership,
                    require_two_step=required,
                    context=RequestContext.from_request(request),
                )
            except TeamRefusal as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(
                    request,
                    _("Every member now needs two-step verification to open this shop. We e-mailed them.")
                    if required
                    else _("Two-step verification is now optional in this shop. We e-mailed every member."),
                )
        return redirect(safe_next(request, reverse("team:shop-two-step", args=[shop.slug])))
    return render(request, "team/shop_two_step.html")
