"""What security shows on pages of the accounts app, through accounts.panels (see SecurityConfig.ready)."""

from accounts.selectors import two_step_enabled
from security.email_change import pending_change


def email_address(request) -> dict:
    """Account Information's e-mail section: the address, a pending change, and whether the change
    can be asked for (it needs the authenticator app)."""
    user = request.user
    return {"email_change": pending_change(user), "two_step_enabled": two_step_enabled(user)}
