"""Campaign, affiliate plan and ad plan pages: create, change, pause, resume, end, contact creators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commerce import selectors
from commerce.errors import CommerceError
from commerce.forms import AdPlanForm, AffiliatePlanForm, CampaignForm, CreatorForm, put_errors
from commerce.services import marketing as services
from commerce.views.common import act, page, refused
from permissions.registry import Grant


def _module_url(slug, module):
    return reverse("commerce:module", args=[slug, module])


def _form(request, form_class, *, save, title, back, success, initial=None):
    """A create or change page: the form, then the service; its errors back on the form."""
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except CommerceError as error:
            return refused(request, error, back=back)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    context = {"form": form, "title": title, "submit": "Save", "back": back}
    return render(request, "commerce/form.html", context, status=400 if form.errors else 200)


# Campaigns.


@page("marketing.create")
def campaign_create(request, slug):
    return _form(
        request,
        CampaignForm,
        save=lambda data: services.create_campaign(request.membership.shop, **data),
        title=_("New campaign"),
        back=_module_url(slug, "marketing"),
        success=_("Campaign created."),
    )


@page("marketing.change")
def campaign_edit(request, slug, pk):
    campaign = selectors.campaign_for(request.membership, pk)
    fields = ["name", "discount_percent", "starts_on", "ends_on"]
    return _form(
        request,
        CampaignForm,
        save=lambda data: services.change_campaign(campaign, **data),
        title=_("Change %(name)s") % {"name": campaign.name},
        back=_module_url(slug, "marketing"),
        success=_("Campaign saved."),
        initial={field: getattr(campaign, field) for field in fields},
    )


@require_POST
@page("marketing.end")
def campaign_end(request, slug, pk):
    campaign = selectors.campaign_for(request.membership, pk)
    return act(
        request,
        lambda: services.end_campaign(campaign),
        success=_("%(name)s has ended.") % {"name": campaign.name},
        back=_module_url(slug, "marketing"),
    )


# Affiliate plans.


def _plan_url(slug, pk):
    return reverse("commerce:affiliate-plan", args=[slug, pk])


@page(Grant.AFFILIATE_VIEW)
def affiliate_plan(request, slug, pk):
    plan = selectors.affiliate_plan_for(request.membership, pk)
    form = CreatorForm()
    context = {"plan": plan, "creators": list(selectors.creators_of(plan)), "form": form}
    return render(request, "commerce/affiliate_plan.html", context)


@page("affiliate.create")
def affiliate_create(request, slug):
    return _form(
        request,
        AffiliatePlanForm,
        save=lambda data: services.create_affiliate_plan(request.membership.shop, **data),
        title=_("New affiliate plan"),
        back=_module_url(slug, "affiliate"),
        success=_("Affiliate plan created."),
    )


@page("affiliate.change")
def affiliate_edit(request, slug, pk):
    plan = selectors.affiliate_plan_for(request.membership, pk)
    return _form(
        request,
        AffiliatePlanForm,
        save=lambda data: services.change_affiliate_plan(plan, **data),
        title=_("Change %(name)s") % {"name": plan.name},
        back=_plan_url(slug, pk),
        success=_("Affiliate plan saved."),
        initial={"name": plan.name, "commission_percent": plan.commission_percent},
    )


@require_POST
@page("affiliate.contact")
def affiliate_contact(request, slug, pk):
    plan = selectors.affiliate_plan_for(request.membership, pk)
    form = CreatorForm(request.POST)
    if form.is_valid():
        try:
            services.contact_creator(plan, by=request.user, **form.cleaned_data)
        except CommerceError as error:
            return refused(request, error, back=_plan_url(slug, pk))
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                _("%(handle)s is on the plan's list of creators contacted.")
                % {"handle": form.cleaned_data["handle"]},
            )
            return redirect(_plan_url(slug, pk))
    context = {"plan": plan, "creators": list(selectors.creators_of(plan)), "form": form}
    return render(request, "commerce/affiliate_plan.html", context, status=400)


# Ad plans.


@page("advertising.create")
def ad_plan_create(request, slug):
    return _form(
        request,
        AdPlanForm,
        save=lambda data: services.create_ad_plan(request.membership.shop, **data),
        title=_("New ad plan"),
        back=_module_url(slug, "advertising"),
        success=_("Ad plan created."),
    )


@page("advertising.change")
def ad_plan_edit(request, slug, pk):
    plan = selectors.ad_plan_for(request.membership, pk)
    return _form(
        request,
        AdPlanForm,
        save=lambda data: services.change_ad_plan(plan, **data),
        title=_("Change %(name)s") % {"name": plan.name},
        back=_module_url(slug, "advertising"),
        success=_("Ad plan saved."),
        initial={"name": plan.name, "daily_budget": plan.daily_budget.normalize()},
    )


PLAN_MOVES = {
    "pause": gettext_lazy("%(name)s is paused."),
    "resume": gettext_lazy("%(name)s is running again."),
    "end": gettext_lazy("%(name)s is ended."),
}
PLAN_AREAS = {
    "affiliate": ("affiliate.change", selectors.affiliate_plan_for),
    "advertising": ("advertising.change", selectors.ad_plan_for),
}


def plan_move(area: str, transition: str):
    """The page view pausing, resuming or ending an affiliate or ad plan."""
    action, find = PLAN_AREAS[area]

    @require_POST
    @page(action)
    def view(request, slug, pk):
        plan = find(request.membership, pk)
        back = _plan_url(slug, pk) if area == "affiliate" else _module_url(slug, area)
        return act(
            request,
            lambda: services.move_plan(plan, transition),
            success=PLAN_MOVES[transition] % {"name": plan.name},
            back=back,
        )

    return view
