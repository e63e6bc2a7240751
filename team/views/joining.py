"""Pages for coming and going: sign-up and its confirmation, accepting an invitation, opening another
shop from the shop chooser, and leaving a shop."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from accounts import invitations, selectors, signups
from accounts.errors import RateLimited, TeamRefusal
from accounts.services import check_may_leave, leave_shop
from audit.events import RequestContext
from notifications import links
from team import services
from team.forms import NewMemberForm, NewShopForm, SignupConfirmForm, SignupForm, add_service_errors
from team.throttles import SignupThrottle

PASSWORD_FIELDS = {"password": "new_password"}


def _too_many(request, template, context, wait: int):
    response = render(request, template, {**context, "retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


# Sign-up.


@sensitive_post_parameters("new_password", "new_password_again")
@csrf_protect
@never_cache
def signup(request):
    """E-mail, shop name and password; the same answer whether or not the address has an account."""
    if request.user.is_authenticated:
        messages.info(request, _("You are signed in: open another shop from your shops."))
        return redirect("accounts:shops")
    form = SignupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        throttle = SignupThrottle()
        if not throttle.allow_request(request, None):
            return _too_many(request, "team/signup.html", {"form": form}, throttle.wait())
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_signup(
                    request,
                    email=data["email"],
                    password=data["new_password"],
                    shop_name=data["shop_name"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as error:
                add_service_errors(form, error, rename=PASSWORD_FIELDS)
            else:
                request.session["signup_email"] = data["email"]
                return redirect("team:signup-sent")
        status = 400
    return render(request, "team/signup.html", {"form": form}, status=status)


def signup_sent(request):
    return render(request, "team/signup_sent.html", {"email": request.session.get("signup_email", "")})


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def signup_confirm(request):
    """The page the confirmation link opens: the sign-up's password opens the account and the shop."""
    try:
        link = links.held(request, signups.SIGNUP_PURPOSE)
    except links.LinkInvalid as invalid:
        return render(request, "team/link_invalid.html", {"reason": invalid.message}, status=invalid.status)
    pending = signups.signup_for_link(link)
    if pending is None:
        return render(
            request,
            "team/link_invalid.html",
            {
                "reason": _(
                    "This sign-up was confirmed already. Sign in with its e-mail address and password."
                )
            },
            status=410,
        )
    context = {"pending": pending}
    if request.user.is_authenticated:
        # Confirming would sign this browser in as the new account: nothing changes until they choose.
        return render(
            request, "team/signup_confirm.html", {**context, "signed_in_as": request.user}, status=403
        )
    form = SignupConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                shop, result = services.confirm_signup(
                    request,
                    password=form.cleaned_data["password"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except (links.LinkInvalid, TeamRefusal) as refused:
                return render(request, "team/link_invalid.html", {"reason": refused.message}, status=410)
            else:
                return _after_sign_in(request, shop, result, opened=True)
        status = 400
    return render(request, "team/signup_confirm.html", {**context, "form": form}, status=status)


def _after_sign_in(request, shop, result, *, opened: bool):
    """Go to the shop's dashboard once signed in; else to the login page, which says why."""
    dashboard = reverse("accounts:dashboard", args=[shop.slug])
    if services.signed_in(result):
        messages.success(
            request,
            (
                _(
                    "Welcome to %(shop)s. Turn on two-step verification next: with it, a stolen password "
                    "alone never opens your shop."
                )
                if opened
                else _("You joined %(shop)s.")
            )
            % {"shop": shop.name},
        )
        return redirect(dashboard)
    messages.info(
        request,
        _("Your shop is open. Sign in to continue.")
        if opened
        else _("You joined the shop. Sign in to continue."),
    )
    return redirect(f"{reverse('security:login')}?next={dashboard}")


# Invitations.


@sensitive_post_parameters("new_password", "new_password_again")
@csrf_protect
@never_cache
def accept_invitation(request):
    """The page an invitation link opens. A new person sets names and a password; an existing user
    accepts while signed in; someone signed in as another account is told so, and nothing changes."""
    try:
        link = links.held(request, invitations.INVITATION_PURPOSE)
    except links.LinkInvalid as invalid:
        return render(request, "team/link_invalid.html", {"reason": invalid.message}, status=invalid.status)
    invitation = invitations.invitation_for_link(link)
    if invitation is None or not invitation.is_pending:
        return render(
            request,
            "team/link_invalid.html",
            {"reason": _("This invitation was withdrawn or already used. Ask the shop owner for a new one.")},
            status=410,
        )
    context = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email:
            return render(request, "team/accept.html", {**context, "state": "wrong_account"}, status=403)
        return _accept_signed_in(request, link, context)
    if selectors.user_exists(invitation.email):
        return render(request, "team/accept.html", {**context, "state": "sign_in"})
    return _accept_new_person(request, link, context)


def _accept_signed_in(request, link, context):
    if request.method != "POST":
        return render(request, "team/accept.html", {**context, "state": "existing"})
    try:
        membership = services.accept_signed_in(request, link, context=RequestContext.from_request(request))
    except (links.LinkInvalid, TeamRefusal) as refused:
        status = getattr(refused, "status", 409)
        return render(
            request,
            "team/accept.html",
            {**context, "state": "existing", "refusal": refused.message},
            status=status,
        )
    messages.success(request, _("You joined %(shop)s.") % {"shop": membership.shop.name})
    return redirect("accounts:dashboard", membership.shop.slug)


def _accept_new_person(request, link, context):
    form = NewMemberForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership, result = services.accept_as_new_person(
                    request,
                    link,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["new_password"],
                    context=RequestContext.from_request(request),
                )
            except ValidationError as error:
                add_service_errors(form, error, rename=PASSWORD_FIELDS)
            except (links.LinkInvalid, TeamRefusal) as refused:
                return render(
                    request,
                    "team/link_invalid.html",
                    {"reason": refused.message},
                    status=getattr(refused, "status", 410),
                )
            else:
                return _after_sign_in(request, membership.shop, result, opened=False)
        status = 400
    return render(
        request, "team/accept.html", {**context, "state": "new_person", "form": form}, status=status
    )


# The shop chooser.


@login_required
@never_cache
def open_shop(request):
    """Open another shop: its owner is the signed-in person."""
    form = NewShopForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                shop = services.open_shop(
                    request, name=form.cleaned_data["name"], context=RequestContext.from_request(request)
                )
            except RateLimited as refusal:
                return _too_many(
                    request, "team/shop_new.html", {"form": form, "refusal": refusal.message}, refusal.wait
                )
            messages.success(request, _("%(shop)s is open. You are its owner.") % {"shop": shop.name})
            return redirect("accounts:dashboard", shop.slug)
        status = 400
    return render(request, "team/shop_new.html", {"form": form}, status=status)


@login_required
@never_cache
def leave(request, slug):
    """A member leaves a shop (not its owner). Works without two-step verification even where the
    shop requires it: leaving only takes access away."""
    membership = selectors.active_membership(request.user, slug)
    if membership is None:
        raise Http404(_("No such shop."))
    if request.method == "POST":
        try:
            leave_shop(membership, context=RequestContext.from_request(request))
        except TeamRefusal as refusal:
            return render(
                request, "team/leave.html", {"leaving": membership, "refusal": refusal.message}, status=409
            )
        messages.success(
            request, _("You left %(shop)s. Its owner was told by e-mail.") % {"shop": membership.shop.name}
        )
        return redirect("accounts:shops")
    try:
        check_may_leave(membership)
    except TeamRefusal as refusal:
        return render(
            request, "team/leave.html", {"leaving": membership, "refusal": refusal.message}, status=409
        )
    return render(request, "team/leave.html", {"leaving": membership})
