"""User Management pages (My Account > User Management, /shop/<slug>/users/): the team, adding a
user, one member's page, and the confirmations of removing, resetting and invitation changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import invitations, selectors
from accounts.errors import RateLimited, ResetNotAllowed, TeamRefusal
from accounts.models import MembershipStatus
from accounts.services import change_member, check_removable, remove_member
from audit.events import RequestContext
from security.redirects import safe_next
from team import services
from team.access import step_up_for, team_page
from team.forms import InviteForm, MemberRolesForm, ResetTwoStepForm, add_service_errors
from team.preview import owner_only_actions, preview

PAGE_SIZE = 25


def _refused(request, template: str, context: dict, refusal: TeamRefusal):
    """Render a page that says why a change was refused, with the refusal's status."""
    response = render(request, template, {**context, "refusal": refusal.message}, status=refusal.status)
    if isinstance(refusal, RateLimited):
        response["Retry-After"] = str(refusal.wait)
    return response


def _preview_context(roles) -> dict:
    areas = preview(roles)
    return {
        "preview": areas,
        "preview_opens_something": any(item.shown for item in areas),
        "owner_only": owner_only_actions(),
    }


@team_page()
def members(request, slug):
    """Who is in the shop (paginated), with roles, status, two-step status and last sign-in."""
    shop = request.membership.shop
    context = {
        "members_page": Paginator(selectors.MemberList(shop), PAGE_SIZE).get_page(request.GET.get("page")),
        "users_url": reverse("team:members", args=[shop.slug]),
    }
    return render(request, "team/members.html", context)


@team_page()
def invitation_list(request, slug):
    """The pending invitations (paginated), with their expiry; each can be sent again or revoked."""
    shop = request.membership.shop
    page = Paginator(selectors.pending_invitations(shop), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "invitations_page": page,
        "users_url": reverse("team:members", args=[shop.slug]),
    }
    return render(request, "team/invitations.html", context)


@team_page("users.invite")
def invite(request, slug):
    """Add user: an address and roles, with the live preview of what they will open and do."""
    acting = request.membership
    form = InviteForm(request.POST if request.method == "POST" else None)
    status = 200
    # "Show what these roles open" re-renders the preview for browsers without script.
    if request.method == "POST" and "preview" not in request.POST:
        if form.is_valid():
            try:
                invitation = services.invite(
                    acting,
                    email=form.cleaned_data["email"],
                    roles=form.cleaned_data["roles"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            except TeamRefusal as refusal:
                return _refused(request, "team/invite.html", {"form": form, **_preview_context([])}, refusal)
            else:
                messages.success(
                    request,
                    _(
                        "Invitation sent to %(email)s. The link works once, for 72 hours; "
                        "you can send it again or revoke it below."
                    )
                    % {"email": invitation.email},
                )
                return redirect("team:invitations", slug)
        else:
            status = 400
    roles = request.POST.getlist("roles") if request.method == "POST" else []
    return render(request, "team/invite.html", {"form": form, **_preview_context(roles)}, status=status)


def _member_or_404(request, member_id):
    member = selectors.member_of(request.membership.shop, member_id)
    if member is None:
        raise Http404(_("No such member."))
    return member


MEMBER_ACTIONS = {"roles": "users.change", "suspend": "users.suspend", "reactivate": "users.suspend"}


@team_page("users.change")
def member(request, slug, member_id):
    """One member: roles (with the preview), status, two-step verification, last sign-in."""
    acting = request.membership
    target = _member_or_404(request, member_id)
    page = reverse("team:member", args=[slug, target.pk])
    form = MemberRolesForm(initial={"roles": target.roles})
    status = 200
    context = {"target": target, "reset_allowed": not selectors.reaches_beyond(target)}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in MEMBER_ACTIONS:
            return render(
                request,
                "team/member.html",
                {**context, "form": form, **_preview_context(target.roles)},
                status=400,
            )
        refused_step = step_up_for(request, MEMBER_ACTIONS[action], page)
        if refused_step:
            return refused_step
        change = {}
        if action == "roles":
            form = MemberRolesForm(request.POST)
            if form.is_valid():
                change["roles"] = form.cleaned_data["roles"]
            else:
                status = 400
        else:
            change["status"] = MembershipStatus.SUSPENDED if action == "suspend" else MembershipStatus.ACTIVE
        if change:
            try:
                changed = change_member(
                    target, acting=acting, context=RequestContext.from_request(request), **change
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            except TeamRefusal as refusal:
                return _refused(
                    request,
                    "team/member.html",
                    {**context, "form": form, **_preview_context(target.roles)},
                    refusal,
                )
            else:
                messages.success(
                    request, _changed_message(target, action) if changed else _("Nothing changed.")
                )
                return redirect(page)
    roles = request.POST.getlist("roles") if status == 400 else target.roles
    return render(
        request, "team/member.html", {**context, "form": form, **_preview_context(roles)}, status=status
    )


def _changed_message(target, action: str) -> str:
    email = target.user.email
    if action == "roles":
        message = _("%(email)s's roles are changed from their very next request. We e-mailed them and you.")
    elif action == "suspend":
        message = _("%(email)s is suspended: the shop is closed to them from their very next request.")
    elif action == "reactivate":
        message = _("%(email)s is active again.")
    else:
        raise KeyError(action)
    return message % {"email": email}


@team_page("users.remove")
def member_remove(request, slug, member_id):
    """Confirm, then remove: the person keeps their login but loses the shop at once."""
    target = _member_or_404(request, member_id)
    if request.method == "POST":
        try:
            remove_member(target, acting=request.membership, context=RequestContext.from_request(request))
        except TeamRefusal as refusal:
            return _refused(request, "team/member_remove.html", {"target": target}, refusal)
        messages.success(
            request,
            _("%(email)s is no longer a member of %(shop)s.")
            % {"email": target.user.email, "shop": target.shop.name},
        )
        return redirect("team:members", slug)
    try:
        check_removable(target, request.membership)
    except TeamRefusal as refusal:
        return _refused(request, "team/member_remove.html", {"target": target}, refusal)
    return render(request, "team/member_remove.html", {"target": target})


@team_page("users.reset_two_step")
def member_reset_two_step(request, slug, member_id):
    """Confirm, then reset a member's two-step verification (they lost their phone and codes)."""
    target = _member_or_404(request, member_id)
    form = ResetTwoStepForm(request.POST if request.method == "POST" else None)
    context = {"target": target, "form": form, "reset_allowed": not selectors.reaches_beyond(target)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "team/member_reset_two_step.html", context, status=400)
        try:
            services.reset_member_two_step(
                request.membership,
                target,
                reason=form.cleaned_data["reason"],
                context=RequestContext.from_request(request),
            )
        except TeamRefusal as refusal:
            return _refused(request, "team/member_reset_two_step.html", context, refusal)
        messages.success(
            request,
            _(
                "%(email)s's two-step verification is reset and their sessions ended. They set it up "
                "again at their next sign-in; we e-mailed them and you."
            )
            % {"email": target.user.email},
        )
        return redirect("team:member", slug, target.pk)
    try:
        services.check_two_step_reset(request.membership, target)
    except ResetNotAllowed:
        pass  # the page explains it, with the way through /recover/ (reset_allowed)
    except TeamRefusal as refusal:
        return _refused(request, "team/member_reset_two_step.html", context, refusal)
    return render(request, "team/member_reset_two_step.html", context)


@require_POST
@team_page("users.remind")
def member_remind(request, slug, member_id=None):
    """E-mail a member a reminder to turn on two-step verification (the member's id in the address,
    or, from the members list, in the form's `member` field)."""
    if member_id is None:
        member_id = request.POST.get("member", "")
        if not member_id.isdigit():
            raise Http404(_("No such member."))
    target = _member_or_404(request, member_id)
    try:
        services.remind(request.membership, target, context=RequestContext.from_request(request))
    except TeamRefusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("We e-mailed %(email)s a reminder to turn on two-step verification.")
            % {"email": target.user.email},
        )
    return redirect(safe_next(request, reverse("team:members", args=[slug])))


def _invitation_or_404(request, invitation_id):
    invitation = selectors.invitation_of(request.membership.shop, invitation_id)
    if invitation is None:
        raise Http404(_("No such invitation."))
    return invitation


@team_page("users.invite")
def invitation_resend(request, slug, invitation_id):
    """Confirm, then send an invitation again: a new 72-hour link; the old one stops working."""
    invitation = _invitation_or_404(request, invitation_id)
    context = {"invitation": invitation, "action": "resend"}
    if request.method == "POST":
        try:
            services.resend(request.membership, invitation, context=RequestContext.from_request(request))
        except TeamRefusal as refusal:
            return _refused(request, "team/invitation_action.html", context, refusal)
        messages.success(
            request,
            _("Invitation sent again to %(email)s; the earlier link no longer works.")
            % {"email": invitation.email},
        )
        return redirect("team:invitations", slug)
    return render(request, "team/invitation_action.html", context)


@team_page("users.invite")
def invitation_revoke(request, slug, invitation_id):
    """Confirm, then revoke an invitation: its link stops working at once."""
    invitation = _invitation_or_404(request, invitation_id)
    context = {"invitation": invitation, "action": "revoke"}
    if request.method == "POST":
        try:
            invitations.revoke(request.membership, invitation, context=RequestContext.from_request(request))
        except TeamRefusal as refusal:
            return _refused(request, "team/invitation_action.html", context, refusal)
        messages.success(
            request,
            _("The invitation to %(email)s is revoked; its link no longer works.")
            % {"email": invitation.email},
        )
        return redirect("team:invitations", slug)
    return render(request, "team/invitation_action.html", context)
