"""Writes for accounts and shops: signing in and out, creating shops and memberships."""

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django_otp import user_has_device

from accounts.models import Membership, MembershipStatus, Shop
from permissions.registry import ASSIGNABLE_ROLES
from security import sessions
from security.events import EventKind, RequestContext, record_event

User = get_user_model()


class LoginRefused(Exception):
    """A sign-in that must not go ahead; `code` is the API's machine-readable reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


GENERIC_LOGIN_ERROR = "That e-mail and password do not match an account. Check both and try again."
FROZEN_MESSAGE = (
    "This account is frozen while its recovery is reviewed. Sign-ins and payouts are paused; "
    "follow the instructions in the e-mail we sent to your contact address."
)


def check_credentials(request, email: str, password: str, context: RequestContext):
    """The user these credentials belong to, or LoginRefused with one generic message."""
    email = (email or "").strip()
    # Django's ModelBackend hashes the password against a dummy for unknown e-mails, so a wrong
    # e-mail costs the same time as a wrong password.
    user = authenticate(request, email=email, password=password or "")
    if user is None:
        known = User.objects.filter(email__iexact=email).first()
        record_event(known, EventKind.LOGIN_FAILURE, context=context, email=email[:254])
        raise LoginRefused("invalid_credentials", GENERIC_LOGIN_ERROR)
    if user.is_frozen:
        record_event(user, EventKind.LOGIN_FAILURE, context=context, reason="frozen")
        raise LoginRefused("account_frozen", FROZEN_MESSAGE)
    return user


@transaction.atomic
def sign_in(request, user, context: RequestContext) -> bool:
    """Start a session for a user whose password passed. Returns True when a second step is due."""
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    two_step_due = user_has_device(user, confirmed=True)
    if two_step_due:
        request.session[sessions.TWO_STEP_PENDING] = True
    sessions.start(request, user, context)
    record_event(user, EventKind.LOGIN_SUCCESS, context=context, two_step_due=two_step_due)
    return two_step_due


def sign_out(request, context: RequestContext) -> None:
    user = request.user if request.user.is_authenticated else None
    session_key = request.session.session_key
    if user is not None:
        record_event(user, EventKind.LOGOUT, context=context)
    django_logout(request)
    sessions.forget(session_key)


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


def add_member_directly(*, shop: Shop, user, roles) -> Membership:
    """Put an existing user in a shop (demo data and admin); invitations build on this later."""
    membership, _ = Membership.objects.update_or_create(
        shop=shop,
        user=user,
        defaults={"roles": clean_roles(roles), "status": MembershipStatus.ACTIVE},
    )
    return membership
