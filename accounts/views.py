"""Pages of a person's account and shops: Account Information, the shop chooser, each shop's
dashboard and its members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import shop_view
from accounts.forms import AntiPhishingPhraseForm, ProfileForm
from accounts.services import set_anti_phishing_phrase, update_profile
from audit.events import RequestContext


def _profile_initial(user) -> dict:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_of_birth": user.date_of_birth,
        "time_zone": user.time_zone,
    }


@login_required
@never_cache
def account_information(request):
    """My Account > Seller Profile > Account Information: names, birth date, time zone, e-mail address
    (its change is a panel of the security app) and the anti-phishing phrase."""
    user = request.user
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=_profile_initial(user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = update_profile(
                    user, context=RequestContext.from_request(request), **form.cleaned_data
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, _("Your details are saved.") if changed else _("Nothing changed."))
                if "date_of_birth" in changed and user.date_of_birth:
                    messages.info(
                        request,
                        _(
                            "From now on no new password can contain your birth date. If your current "
                            "password does, change it."
                        ),
                    )
                return redirect("accounts:account-information")
        status = 400
    return render(
        request,
        "accounts/account_information.html",
        {"form": form, "phrase_form": AntiPhishingPhraseForm(initial={"phrase": user.anti_phishing_phrase})},
        status=status,
    )


@require_POST
@login_required
def anti_phishing_phrase(request):
    form = AntiPhishingPhraseForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/account_information.html",
            {"form": ProfileForm(initial=_profile_initial(request.user)), "phrase_form": form},
            status=400,
        )
    phrase = form.cleaned_data["phrase"]
    if set_anti_phishing_phrase(request.user, phrase, context=RequestContext.from_request(request)):
        messages.success(
            request, _("Anti-phishing phrase saved.") if phrase else _("Anti-phishing phrase removed.")
        )
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("accounts:account-information")


@login_required
def shop_list(request):
    memberships = list(selectors.memberships_of(request.user))
    return render(request, "accounts/shops.html", {"memberships": memberships})


@login_required
@shop_view()
def shop_dashboard(request, slug):
    return render(request, "accounts/dashboard.html")
