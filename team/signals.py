"""How the team hears of a freeze (security.freeze.account_frozen), inside the freeze's transaction."""

from accounts.invitations import revoke_at_freeze
from accounts.models import FreezeScope


def on_account_frozen(sender, *, user, scope, origin, reason, context, **kwargs) -> None:
    """A full freeze withdraws the pending invitations the person sent and those of the shops they
    own, so an invitation an attacker sent to themselves cannot be accepted. An unproven freeze
    changes nothing."""
    if scope != FreezeScope.FULL:
        return
    revoke_at_freeze(user, context=context)
