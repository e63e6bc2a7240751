"""The team's flows that reach past tenancy into security: rate limits, a new person's password and
first sign-in, sign-up, and the owner's reset of a member's two-step verification.

Tenancy's own writes (accounts.services, accounts.invitations, accounts.signups) validate, write and
log; these add the parts that live in security around them, in the same transaction where it matters.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import invitations, signups
from accounts.acting import check_acting
from accounts.errors import (
    OwnerProtected,
    OwnMembership,
    RateLimited,
    ResetNotAllowed,
    SignInRequired,
    TwoStepNotOn,
)
from accounts.models import Invitation, Membership, Shop, User
from accounts.selectors import reaches_beyond, user_exists
from accounts.services import (
    create_account,
    create_shop,
    notify_team_change,
    remind_to_enrol,
    set_shop_two_step_requirement,
)
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from security.passwords.changes import set_new_password
from security.sign_in import Outcome, SignInResult, sign_in
from security.two_step.enrolment import reset_two_step
from team.throttles import (
    InvitationThrottle,
    ShopCreationThrottle,
    SignupAddressThrottle,
    TwoStepReminderThrottle,
)

RESET_REFUSED_ELSEWHERE = gettext_lazy(
    "This person's account is also used outside %(shop)s (another shop, or Seller Center support), so "
    "its two-step verification cannot be reset from here. They can recover it at /recover/, where "
    "support checks their identity."
)


def invite(acting: Membership, *, email, roles, context: RequestContext) -> Invitation:
    """accounts.invitations.invite, within the shop's invitation rate."""
    return invitations.invite(
        acting, email=email, roles=roles, context=context, throttle=InvitationThrottle(acting.shop)
    )


def resend(acting: Membership, invitation: Invitation, *, context: RequestContext) -> Invitation:
    """accounts.invitations.resend, within the shop's invitation rate (resends count as invitations)."""
    return invitations.resend(acting, invitation, context=context, throttle=InvitationThrottle(acting.shop))


def remind(acting: Membership, membership: Membership, *, context: RequestContext) -> None:
    """accounts.services.remind_to_enrol, within the shop's reminder rate."""
    remind_to_enrol(acting, membership, context=context, throttle=TwoStepReminderThrottle(acting.shop))


def check_two_step_reset(acting: Membership, membership: Membership) -> None:
    """Whether `acting` may reset this member's two-step verification at all; the confirmation page
    asks it before showing a form. Raises NotAllowed, OwnerProtected, OwnMembership, ResetNotAllowed."""
    check_acting(acting, membership.shop, "users.reset_two_step")
    if membership.is_owner:
        raise OwnerProtected(_("The owner's two-step verification is theirs to manage, on Account Security."))
    if membership.pk == acting.pk:
        raise OwnMembership(_("Manage your own two-step verification on Account Security."))
    if reaches_beyond(membership):
        raise ResetNotAllowed(RESET_REFUSED_ELSEWHERE % {"shop": membership.shop.name})


@transaction.atomic
def reset_member_two_step(
    acting: Membership, membership: Membership, *, reason: str, context: RequestContext
) -> None:
    """The owner resets the two-step verification of a member who lost their phone and recovery
    codes (SPEC §5): every device and session of the member goes, and they enrol again at their next
    sign-in where a shop requires it. The member (by security) and the owner are e-mailed.

    Refused (ResetNotAllowed) when the account reaches beyond this shop: staff, or a member or owner
    of another shop, whose other shops' protection one owner must not be able to remove. Raises
    OwnerProtected, OwnMembership, NotAllowed and TwoStepNotOn too.
    """
    check_two_step_reset(acting, membership)
    reason = " ".join((reason or "").split())[:200] or f"Reset by the owner of {membership.shop.name}"
    if not reset_two_step(membership.user, by=acting.user, reason=reason, context=context):
        raise TwoStepNotOn(
            _("%(email)s has no two-step verification to reset.") % {"email": membership.user.email}
        )
    record_event(
        membership.user,
        EventKind.MEMBER_TWO_STEP_RESET,
        shop=membership.shop,
        context=context,
        by=acting.user.email,
        reason=reason,
    )
    notify_team_change(membership, "two_step_reset", by=acting.user, reason=reason)


def set_member_settings(
    acting: Membership, *, invite_domains=None, require_two_step: bool | None = None, context: RequestContext
) -> int:
    """Change the shop's member settings together; returns how many pending invitations to other
    domains were revoked. Raises ValidationError on "invite_domains" and NotAllowed."""
    with transaction.atomic():
        revoked = 0
        if invite_domains is not None:
            revoked = invitations.set_invite_domains(acting, invite_domains, context=context)
        if require_two_step is not None:
            set_shop_two_step_requirement(
                acting.shop, by=acting.user, acting=acting, required=require_two_step, context=context
            )
    return revoked


def open_shop(request, *, name: str, context: RequestContext) -> Shop:
    """Another shop for the signed-in person, from the shop chooser, within SHOP_CREATION_RATE."""
    throttle = ShopCreationThrottle()
    if not throttle.allow_request(request, None):
        raise RateLimited(throttle.wait(), _("You opened several shops lately. Try again later."))
    return create_shop(owner=request.user, name=name, context=context)


# Becoming a seller.


def check_new_password(
    password: str, *, email: str, shop_name: str = "", first_name: str = "", last_name: str = ""
) -> None:
    """SPEC §4's rules for a person who has no account yet: their e-mail, names and the shop's name
    count as personal details. ValidationError (one message per broken rule) on "password"."""
    person = User(email=email, first_name=first_name, last_name=last_name)
    person._password_shop_names = [shop_name] if shop_name else []
    try:
        validate_password(password, person)
    except ValidationError as refusal:
        raise ValidationError({"password": refusal.error_list}) from None


def request_signup(request, *, email: str, password: str, shop_name: str, context: RequestContext) -> None:
    """Check the password, hash it and hold the sign-up (accounts.signups.request_signup). Whether
    or not the address has an account, the same work is done and the caller answers the same; an
    address that got SignupAddressThrottle's share of e-mails this hour gets no more.

    Raises ValidationError on "password". The per-IP rate (SignupThrottle) is the view's.
    """
    check_new_password(password, email=email, shop_name=shop_name)
    password_hash = make_password(password)
    if not SignupAddressThrottle(email).allow_request(request, None):
        return
    signups.request_signup(email=email, password_hash=password_hash, shop_name=shop_name, context=context)


def confirm_signup(request, *, password: str, context: RequestContext) -> tuple[Shop, SignInResult]:
    """Open the account and shop of the sign-up link this session holds, then sign the new owner in
    with the password they gave (security.sign_in, like any sign-in).

    Raises links.LinkInvalid, ValidationError on "password", and accounts.signups' refusals.
    """
    link = links.held(request, signups.SIGNUP_PURPOSE)
    shop = signups.confirm_signup(link, password=password, context=context)
    links.release(request, signups.SIGNUP_PURPOSE)
    return shop, sign_in(request, shop.owner.email, password, context)


# Accepting an invitation.


def accept_as_new_person(
    request, link, *, first_name: str, last_name: str, password: str, context: RequestContext
) -> tuple[Membership, SignInResult]:
    """A person without an account accepts: their account (names, a password that passes SPEC §4)
    and their membership are made in one transaction, which spends the link; then they are signed in.
    When the shop requires two-step verification, the account gate sends them to enrolment before
    any of its pages.

    Raises SignInRequired when the address has an account (its owner accepts after signing in, so an
    invitation can never set an existing account's password), ValidationError on "password", and
    the refusals of accounts.invitations.claim() and join().
    """
    with transaction.atomic():
        invitation = invitations.claim(link)
        if user_exists(invitation.email):
            raise SignInRequired(
                _("%(email)s already has a Seller Center account. Sign in with it to accept.")
                % {"email": invitation.email}
            )
        user = create_account(
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            context=context,
            via="invitation",
        )
        # The shop's name counts as a personal detail for the password rules, as for its members.
        user._password_shop_names = [invitation.shop.name]
        try:
            set_new_password(user, password, context=context, reason="invitation accepted")
        except ValidationError as refusal:
            raise ValidationError({"password": refusal.error_list}) from None
        membership = invitations.join(invitation, user, context=context)
    links.release(request, invitations.INVITATION_PURPOSE)
    return membership, sign_in(request, user.email, password, context)


def accept_signed_in(request, link, *, context: RequestContext) -> Membership:
    """The signed-in person accepts (accounts.invitations.accept); the session lets go of the link."""
    membership = invitations.accept(link, request.user, context=context)
    links.release(request, invitations.INVITATION_PURPOSE)
    return membership


def signed_in(result: SignInResult) -> bool:
    return result.outcome == Outcome.SIGNED_IN
