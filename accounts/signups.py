"""Becoming a seller (SPEC §5): a sign-up is held until its e-mailed link confirms the address.

request_signup() answers the same way whether or not the address has an account: a new address gets
a confirmation link, an address in use gets an e-mail telling its owner instead. confirm_signup()
opens the account and the shop; it asks for the password of that very sign-up, so a sign-up someone
else started with your address cannot become your account with their password.
"""

from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import InvitationClosed, SignInRequired
from accounts.models import Shop, SignupRequest, User
from accounts.services import create_account, create_shop
from audit.events import EventKind, RequestContext, record_event
from notifications import links
from notifications.email import send_email

SIGNUP_PURPOSE = "signup"
# The team app's confirmation page (a URL name: notifications.links reverses it).
CONFIRM_LANDING = "team:signup-confirm"
CONFIRMATION_LIFETIME = timedelta(hours=24)
WRONG_PASSWORD = gettext_lazy("That is not the password you chose when you signed up. Type it again.")


class SignupGone(InvitationClosed):
    """The sign-up was confirmed already, or was cleared away."""

    code = "signup_closed"


@transaction.atomic
def request_signup(*, email: str, password_hash: str, shop_name: str, context: RequestContext) -> None:
    """Hold a sign-up and e-mail its confirmation link, or, when an account uses the address, e-mail
    that account instead. Either way one e-mail leaves and the caller answers the same.

    `email` and `shop_name` are valid already; `password_hash` passed the rules before hashing.
    """
    email = email.strip().lower()
    # Sign-ups never confirmed are cleared as new ones come: the table stays small without a job.
    SignupRequest.objects.filter(created__lt=timezone.now() - 2 * CONFIRMATION_LIFETIME).delete()
    account = User.objects.filter(email__iexact=email).first()
    if account is not None:
        record_event(account, EventKind.SIGNUP_EXISTING_ACCOUNT, context=context)
        send_email(account, "signup_existing_account", {"shop_name": shop_name})
        return
    signup = SignupRequest.objects.create(email=email, password=password_hash, shop_name=shop_name)
    issued = links.issue(
        SIGNUP_PURPOSE, landing=CONFIRM_LANDING, lifetime=CONFIRMATION_LIFETIME, subject=signup.subject
    )
    send_email(
        email,
        "signup_confirm",
        {
            "shop_name": shop_name,
            "url": issued.url,
            "hours": int(CONFIRMATION_LIFETIME.total_seconds() // 3600),
        },
    )


def signup_for_link(link) -> SignupRequest | None:
    """The sign-up an e-mailed link confirms, while it waits."""
    prefix, _, pk = link.subject.partition(":")
    if link.purpose != SIGNUP_PURPOSE or prefix != "signup" or not pk.isdigit():
        return None
    return SignupRequest.objects.filter(pk=int(pk)).first()


@transaction.atomic
def confirm_signup(link, *, password: str, context: RequestContext) -> Shop:
    """Open the account and its shop from a held sign-up link, given the sign-up's password.

    Raises ValidationError on "password" when it is not the one chosen (the link stays usable),
    links.LinkInvalid when the link was used meanwhile (of two confirmations at once, one wins),
    SignupGone, and SignInRequired when the address got an account since.
    """
    link = links.spend(link)
    signup = signup_for_link(link)
    if signup is None:
        raise SignupGone(
            _("This sign-up was confirmed already. Sign in with its e-mail address and password.")
        )
    if not check_password(password or "", signup.password):
        raise ValidationError({"password": [ValidationError(WRONG_PASSWORD, code="wrong_password")]})
    if User.objects.filter(email__iexact=signup.email).exists():
        raise SignInRequired(_("An account with this e-mail address exists already. Sign in with it."))
    user = create_account(email=signup.email, password_hash=signup.password, context=context, via="signup")
    shop = create_shop(owner=user, name=signup.shop_name, context=context)
    SignupRequest.objects.filter(email__iexact=signup.email).delete()
    return shop
