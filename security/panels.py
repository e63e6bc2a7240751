"""What security shows on pages of the accounts app and on every shop page, through accounts.panels
(registered in SecurityConfig.ready)."""

from accounts.selectors import two_step_enabled
from security import checkup
from security.email_change import pending_change


def email_address(request) -> dict:
    """Account Information's e-mail section: the address, a pending change, and whether the change
    can be asked for (it needs the authenticator app)."""
    user = request.user
    return {"email_change": pending_change(user), "two_step_enabled": two_step_enabled(user)}


def checkup_on_dashboard(request) -> dict:
    return {"checkup": checkup.for_dashboard(request)}


def checkup_on_account_security(request) -> dict:
    return {"checkup": checkup.for_account_security(request)}


def two_step_prompt(request) -> dict | None:
    """On every page of a shop its owner opens while their account has no second step."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_owner:
        return None
    if checkup.context_for(request).facts.has_totp:
        return None
    return {"prompt_shop": membership.shop}
