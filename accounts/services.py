"""Writes for accounts and shops: signing in and out, creating shops and memberships."""

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, MembershipStatus, Shop
from notifications.email import send_email
from permissions.registry import ASSIGNABLE_ROLES
from security import login_protection, sessions, two_step
from security.events import EventKind, RequestContext, record_event

User = get_user_model()


class LoginRefused(Exception):
    """A sign-in that must not go ahead; `code` is the API's machine-readable reason.

    `retry_after` (seconds) is set when the lockout refused it: callers answer 429 with Retry-After.
    """

    def __init__(self, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def http_status(self) -> int:
        if self.retry_after is not None:
            return 429
        return 403 if self.code == "account_frozen" else 400

    def add_headers(self, response):
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response


GENERIC_LOGIN_ERROR = "That e-mail and password do not match an account. Check both and try again."
FROZEN_MESSAGE = (
    "This account is frozen while its recovery is reviewed. Sign-ins and payouts are paused; "
    "follow the instructions in the e-mail we sent to your contact address."
)
LOCKED_MESSAGE = "Too many failed sign-ins. Wait {minutes} before trying again, or reset your password."


def check_credentials(request, email: str, password: str, context: RequestContext):
    """The user these credentials belong to, or LoginRefused with one generic message.

    The attempt counts as a failed sign-in until sign_in() starts the user's session.
    """
    email = (email or "").strip()
    try:
        # Before the password is even looked at, so a locked account cannot be probed further.
        attempt = login_protection.begin_attempt(email, context.ip)
    except login_protection.LoginLocked as locked:
        known = User.objects.filter(email__iexact=email).first()
        record_event(known, EventKind.LOGIN_LOCKED, context=context, email=email[:254])
        minutes = max(1, -(-locked.retry_after // 60))
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
        raise LoginRefused("throttled", LOCKED_MESSAGE.format(minutes=wait), locked.retry_after) from None
    # Django's ModelBackend hashes the password against a dummy for unknown e-mails, so a wrong
    # e-mail costs the same time as a wrong password.
    user = authenticate(request, email=email, password=password or "")
    if user is None:
        known = User.objects.filter(email__iexact=email).first()
        record_event(known, EventKind.LOGIN_FAILURE, context=context, email=email[:254])
        login_protection.attempt_failed(attempt)
        raise LoginRefused("invalid_credentials", GENERIC_LOGIN_ERROR)
    if user.is_frozen:
        login_protection.attempt_succeeded(attempt)
        record_event(user, EventKind.LOGIN_FAILURE, context=context, reason="frozen")
        raise LoginRefused("account_frozen", FROZEN_MESSAGE)
    # Taken back by sign_in(), in the same transaction as the session it starts: one write fewer.
    user.login_attempt = attempt
    return user


@transaction.atomic
def sign_in(request, user, context: RequestContext) -> bool:
    """Start a session for a user whose password passed. Returns True when a second step is due."""
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    two_step_due = two_step.is_enabled(user)
    if two_step_due:
        request.session[sessions.TWO_STEP_PENDING] = True
    login_protection.attempt_succeeded(getattr(user, "login_attempt", None))
    protected = login_protection.enabled()
    sessions.start(request, user, context, record=protected)
    device = sessions.describe_device(context.user_agent)
    if protected:
        # Compared with earlier sign-ins, so it must look before this one is recorded.
        login_protection.alert_if_new_sign_in(user, context, device=device)
    record_event(user, EventKind.LOGIN_SUCCESS, context=context, two_step_due=two_step_due, device=device)
    return two_step_due


def sign_out(request, context: RequestContext) -> None:
    user = request.user if request.user.is_authenticated else None
    session_key = request.session.session_key
    if user is not None:
        record_event(user, EventKind.LOGOUT, context=context)
    django_logout(request)
    sessions.forget(session_key)


@transaction.atomic
def freeze_account(user, *, reason: str, context: RequestContext) -> bool:
    """Freeze the account: sign-ins and payouts refused, every session ended, ACCOUNT_FROZEN logged.

    Returns False (and changes nothing) when it was already frozen. The person is e-mailed how
    recovery works once this commits; the recovery app opens its case from this same point.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_frozen:
        return False
    user.frozen_at = timezone.now()
    user.frozen_reason = reason[:200]
    user.save(update_fields=["frozen_at", "frozen_reason"])
    ended = sessions.end_sessions(user)
    record_event(user, EventKind.ACCOUNT_FROZEN, context=context, reason=reason[:200], sessions_ended=ended)
    send_email(user, "account_frozen", {"reason": reason, "frozen_at": user.frozen_at})
    return True


@transaction.atomic
def create_shop(*, owner, name: str, slug: str) -> Shop:
    """A shop and its owner's membership, together."""
    shop = Shop.objects.create(owner=owner, name=name, slug=slug)
    Membership.objects.create(user=owner, shop=shop, roles=[])
    return shop


def clean_roles(roles) -> list[str]:
    """Validated, de-duplicated role names in registry order; ValueError names the unknown ones."""
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        raise ValueError("Roles must be a list of role names.")
    unknown = sorted(set(roles) - set(ASSIGNABLE_ROLES))
    if unknown:
        raise ValueError(f"Unknown role: {', '.join(unknown)}.")
    return [name for name in ASSIGNABLE_ROLES if name in roles]


OWNER_NOT_REMOVABLE = "The shop owner cannot be removed from their shop."


@transaction.atomic
def remove_member(membership: Membership, *, by, context: RequestContext, via: str) -> None:
    """Take a member out of their shop and log it; the owner cannot be removed (SPEC §5)."""
    if membership.is_owner:
        raise PermissionDenied(OWNER_NOT_REMOVABLE)
    record_event(
        membership.user,
        EventKind.MEMBER_REMOVED,
        shop=membership.shop,
        context=context,
        by=by.email,
        via=via,
    )
    membership.delete()


def record_membership_saved(
    membership: Membership, *, by, context: RequestContext, added: bool, changed_fields, via: str
) -> None:
    """Log a membership just added or changed: added, suspended, or changed (roles, reactivation)."""
    if not added and not changed_fields:
        return
    if added:
        kind = EventKind.MEMBER_ADDED
    elif "status" in changed_fields and membership.status == MembershipStatus.SUSPENDED:
        kind = EventKind.MEMBER_SUSPENDED
    else:
        kind = EventKind.MEMBER_CHANGED
    record_event(
        membership.user,
        kind,
        shop=membership.shop,
        context=context,
        by=by.email,
        via=via,
        roles=membership.roles,
        status=membership.status,
    )


def add_member_directly(*, shop: Shop, user, roles) -> Membership:
    """Put an existing user in a shop (demo data and admin); invitations build on this later."""
    membership, _ = Membership.objects.update_or_create(
        shop=shop,
        user=user,
        defaults={"roles": clean_roles(roles), "status": MembershipStatus.ACTIVE},
    )
    return membership
