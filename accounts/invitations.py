"""Invitations to join a shop (SPEC §5), and the shop's invitation domains.

An owner invites an address with one or more roles; the person gets a single-use link valid for
INVITATION_LIFETIME (72 hours). Resending issues a new link and kills the old one; revoking kills it.
The link opens the team app's acceptance page, where an existing user accepts while signed in and a
new person sets their names and password. Every write validates, writes, records its event and
schedules its e-mail in one transaction.

Rate limits are the caller's (they live in security): a write takes a `throttle` with
`allow_request(request, view) -> bool` and `wait() -> int`, and asks it only once the input is valid,
inside the transaction, so bad input and refused requests write nothing.
"""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.acting import check_acting, check_may_give, validate_roles
from accounts.errors import AlreadyMember, InvitationClosed, WrongAccount
from accounts.models import Invitation, InvitationStatus, Membership, Shop, User
from accounts.services import actor_label, notify_team_change, role_labels, spend_allowance
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import send_email
from permissions.registry import areas_for, grants_for

INVITATION_PURPOSE = "invitation"
INVITATION_WITHDRAWN = gettext_lazy(
    "This invitation was withdrawn. Ask the shop owner for a new one if you still need access."
)
# The team app's page that the e-mailed link opens (a URL name: notifications.links reverses it).
ACCEPT_LANDING = "team:invitation-accept"
INVITATION_LIFETIME = timedelta(hours=72)
MAX_INVITE_DOMAINS = 20
# RFC 1035 labels (letters, digits, inner hyphens), at least two of them, 253 characters at most.
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def clean_email(value) -> str:
    """A lower-case e-mail address; ValidationError on "email" otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise _field_error("email", _("Enter the person's e-mail address."), "required")
    email = value.strip().lower()
    if len(email) > 254:
        raise _field_error("email", _("An e-mail address has at most 254 characters."), "max_length")
    try:
        validate_email(email)
    except ValidationError:
        raise _field_error(
            "email", _("Enter a valid e-mail address, such as name@example.com."), "invalid"
        ) from None
    return email


def clean_invite_domains(value) -> list[str]:
    """The company's e-mail domains as a sorted list of lower-case names, from a list of names or
    one text with commas, spaces or new lines between them. ValidationError on "invite_domains"."""
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value)
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise _field_error("invite_domains", _("Give the domains as a list of names."), "invalid")
    domains = {item.strip().lstrip("@").rstrip(".").lower() for item in value if item.strip()}
    if len(domains) > MAX_INVITE_DOMAINS:
        raise _field_error(
            "invite_domains", _("Give at most %(count)d domains.") % {"count": MAX_INVITE_DOMAINS}, "too_many"
        )
    bad = sorted(domain for domain in domains if not _DOMAIN.match(domain))
    if bad:
        shown = ", ".join(domain[:60] for domain in bad[:3])
        raise _field_error(
            "invite_domains",
            _("Not a domain name: %(names)s. Write names like example.com.") % {"names": shown},
            "invalid",
        )
    return sorted(domains)


def check_invitation(shop: Shop, *, email, roles) -> tuple[str, list[str]]:
    """The cleaned (email, roles) of an invitation to `shop`, or ValidationError with every field's
    problems: a malformed address, an address outside the shop's domains, a member already, one
    already invited (and not expired), and bad roles."""
    errors = {}
    try:
        email = clean_email(email)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        roles = validate_roles(roles)
    except ValidationError as error:
        errors.update(error.error_dict)
    if "email" not in errors:
        problem = _address_problem(shop, email)
        if problem:
            errors["email"] = [problem]
    if errors:
        raise ValidationError(errors)
    return email, roles


def _address_problem(shop: Shop, email: str) -> ValidationError | None:
    if shop.invite_domains and domain_of(email) not in shop.invite_domains:
        return ValidationError(
            _(
                "%(shop)s invites people of its own company only: use an address at %(domains)s. The owner "
                "can change these domains in the member settings."
            )
            % {"shop": shop.name, "domains": ", ".join(shop.invite_domains)},
            code="domain_not_allowed",
        )
    if Membership.objects.filter(shop=shop, user__email__iexact=email).exists():
        return ValidationError(
            _("%(email)s is already a member of %(shop)s.") % {"email": email, "shop": shop.name},
            code="already_member",
        )
    pending = Invitation.objects.filter(
        shop=shop, email__iexact=email, status=InvitationStatus.PENDING
    ).first()
    if pending is not None and not pending.is_expired:
        return ValidationError(
            _("%(email)s is already invited. Send the invitation again from the list of pending invitations.")
            % {"email": email},
            code="already_invited",
        )
    return None


def _send(invitation: Invitation) -> None:
    """A new link for the invitation (the previous one dies) and the e-mail that carries it."""
    issued = links.issue(
        INVITATION_PURPOSE,
        landing=ACCEPT_LANDING,
        lifetime=invitation.expires - timezone.now(),
        subject=invitation.subject,
        replace=True,
    )
    # An address that already has an account gets its anti-phishing phrase shown.
    account = User.objects.filter(email__iexact=invitation.email).first()
    send_email(
        account or invitation.email,
        "invitation",
        {
            "invitation": invitation,
            "shop": invitation.shop,
            "inviter": invitation.invited_by,
            "roles": role_labels(invitation.roles),
            "areas": areas_for(grants_for(invitation.roles)),
            "url": issued.url,
            "hours": int(INVITATION_LIFETIME.total_seconds() // 3600),
            "has_account": account is not None,
        },
    )


@transaction.atomic
def invite(acting: Membership, *, email, roles, context: RequestContext, throttle=None) -> Invitation:
    """Invite `email` to the acting member's shop with `roles`, and e-mail the link.

    Raises ValidationError (check_invitation), NotAllowed or GrantNotHeld, and RateLimited when the
    throttle refuses.
    """
    shop = acting.shop
    check_acting(acting, shop, "users.invite")
    email, roles = check_invitation(shop, email=email, roles=roles)
    check_may_give(acting, roles)
    spend_allowance(throttle)
    now = timezone.now()
    # A pending invitation that ran out gives way to the new one.
    Invitation.objects.filter(shop=shop, email__iexact=email, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.EXPIRED, closed_at=now
    )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                shop=shop,
                email=email,
                roles=roles,
                invited_by=acting.user,
                created=now,
                sent_at=now,
                expires=now + INVITATION_LIFETIME,
            )
    except IntegrityError:
        # Another request invited the same address a moment ago.
        raise _field_error(
            "email", _("%(email)s is already invited.") % {"email": email}, "already_invited"
        ) from None
    record_event(
        acting.user,
        EventKind.INVITATION_SENT,
        shop=shop,
        context=context,
        invitation=invitation.pk,
        email=email,
        roles=roles,
    )
    _send(invitation)
    return invitation


def _locked_pending(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("shop", "invited_by")
        .get(pk=invitation.pk)
    )
    if not locked.is_pending:
        raise InvitationClosed(
            _("This invitation was already %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def resend(
    acting: Membership, invitation: Invitation, *, context: RequestContext, throttle=None
) -> Invitation:
    """Send a pending invitation again, expired or not: a new link valid INVITATION_LIFETIME from
    now; the previous link stops working. Raises InvitationClosed, NotAllowed, RateLimited."""
    check_acting(acting, invitation.shop, "users.invite")
    invitation = _locked_pending(invitation)
    spend_allowance(throttle)
    now = timezone.now()
    invitation.sent_at, invitation.expires = now, now + INVITATION_LIFETIME
    invitation.save(update_fields=["sent_at", "expires"])
    record_event(
        acting.user,
        EventKind.INVITATION_RESENT,
        shop=invitation.shop,
        context=context,
        invitation=invitation.pk,
        email=invitation.email,
    )
    _send(invitation)
    return invitation


@transaction.atomic
def revoke(acting: Membership, invitation: Invitation, *, context: RequestContext) -> None:
    """Withdraw a pending invitation: its link stops working at once. Raises InvitationClosed."""
    check_acting(acting, invitation.shop, "users.invite")
    _withdraw(_locked_pending(invitation), by=acting.user, context=context)


@transaction.atomic
def revoke_at_freeze(user: User, *, context: RequestContext) -> int:
    """Withdraw, as the system, every pending invitation `user` sent (any shop) and every pending
    invitation of the shops `user` owns: a full freeze means the account may be in an attacker's
    hands, who could have invited themselves. Recorded like revoke() (INVITATION_REVOKED, with
    reason "account_frozen"); the links stop working at once. Returns how many were withdrawn."""
    pending = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("shop")
        .filter(status=InvitationStatus.PENDING)
        .filter(models.Q(invited_by=user) | models.Q(shop__owner=user))
        .order_by("pk")
    )
    for invitation in pending:
        _withdraw(invitation, by=user, context=context, reason="account_frozen")
    return len(pending)


def _withdraw(invitation: Invitation, *, by, context: RequestContext, **details) -> None:
    """Close a locked pending invitation as REVOKED, kill its link, and log it."""
    _close(invitation, InvitationStatus.REVOKED)
    record_event(
        by,
        EventKind.INVITATION_REVOKED,
        shop=invitation.shop,
        context=context,
        invitation=invitation.pk,
        email=invitation.email,
        **details,
    )


def _close(invitation: Invitation, status: str) -> None:
    invitation.status, invitation.closed_at = status, timezone.now()
    invitation.save(update_fields=["status", "closed_at", "accepted_by"])
    if status != InvitationStatus.ACCEPTED:
        # An accepted invitation's link was just spent: it says "already used", not "replaced".
        links.revoke(INVITATION_PURPOSE, invitation.subject, withdrawn=status == InvitationStatus.REVOKED)


# Accepting.


def invitation_for_link(link) -> Invitation | None:
    """The invitation an e-mailed link was issued for (no lock, for showing it)."""
    prefix, _, pk = link.subject.partition(":")
    if link.purpose != INVITATION_PURPOSE or prefix != "invitation" or not pk.isdigit():
        return None
    return Invitation.objects.select_related("shop", "invited_by").filter(pk=int(pk)).first()


def claim(link) -> Invitation:
    """Spend the link and lock its invitation, which must be pending and unexpired. Call inside the
    transaction that makes the person a member, so a failure spends nothing and two acceptances at
    once cannot both succeed. Raises links.LinkInvalid or InvitationClosed."""
    link = links.spend(link)
    found = invitation_for_link(link)
    if found is None:
        raise InvitationClosed(_("This invitation no longer exists. Ask the shop owner for a new one."))
    invitation = _locked_pending(found)
    if invitation.is_expired:
        raise InvitationClosed(_("This invitation has expired. Ask the shop owner to send it again."))
    return invitation


def join(invitation: Invitation, user, *, context: RequestContext) -> Membership:
    """Make `user` a member with the invitation's roles and close it. Call after claim(), inside the
    same transaction. Raises AlreadyMember."""
    shop = invitation.shop
    if Membership.objects.filter(shop=shop, user=user).exists():
        raise AlreadyMember(_("You are already a member of %(shop)s.") % {"shop": shop.name})
    membership = Membership.objects.create(shop=shop, user=user, roles=invitation.roles)
    invitation.accepted_by = user
    _close(invitation, InvitationStatus.ACCEPTED)
    record_event(
        user,
        EventKind.MEMBER_ADDED,
        shop=shop,
        context=context,
        by=actor_label(invitation.invited_by),
        via="invitation",
        invitation=invitation.pk,
        roles=membership.roles,
    )
    notify_team_change(membership, "joined", by=user)
    return membership


@transaction.atomic
def accept(link, user, *, context: RequestContext) -> Membership:
    """A signed-in user accepts the invitation of this link. Raises WrongAccount when it was sent to
    another address (nothing changes, the link stays usable), and claim()'s and join()'s errors."""
    invitation = claim(link)
    if user.email.lower() != invitation.email.lower():
        raise WrongAccount(
            _(
                "This invitation was sent to %(invited)s, and you are signed in as %(email)s. "
                "Sign out and open the link again, or ask the owner to invite this account's address."
            )
            % {"invited": invitation.email, "email": user.email}
        )
    return join(invitation, user, context=context)


# Settings.


@transaction.atomic
def set_invite_domains(acting: Membership, domains, *, context: RequestContext) -> int:
    """Invite only addresses at these domains (empty: any). Pending invitations to other domains are
    revoked, since the owner no longer wants them; returns how many.

    Raises ValidationError on "invite_domains" and NotAllowed.
    """
    shop = acting.shop
    check_acting(acting, shop, "users.settings")
    domains = clean_invite_domains(domains)
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    if domains == shop.invite_domains:
        return 0
    previous, shop.invite_domains = shop.invite_domains, domains
    shop.save(update_fields=["invite_domains"])
    acting.shop.invite_domains = domains
    revoked = 0
    if domains:
        for invitation in Invitation.objects.filter(shop=shop, status=InvitationStatus.PENDING):
            if domain_of(invitation.email) not in domains:
                _close(invitation, InvitationStatus.REVOKED)
                revoked += 1
    record_event(
        acting.user,
        EventKind.SHOP_INVITE_DOMAINS_CHANGED,
        shop=shop,
        context=context,
        domains=domains,
        previous=previous,
        invitations_revoked=revoked,
    )
    return revoked
