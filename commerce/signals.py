"""How commerce hears of a freeze (security.freeze.account_frozen), inside the freeze's transaction."""

from accounts.models import FreezeScope, Shop
from commerce.services.payouts import roll_back_recent_changes


def on_account_frozen(sender, *, user, scope, origin, reason, context, **kwargs) -> None:
    """A full freeze of a shop owner rolls back the payout account changes of the last 7 days and
    cancels withdrawals not yet paid out (SPEC §6a). An unproven freeze changes nothing: money moves
    are refused while the owner is frozen, whatever the scope."""
    if scope != FreezeScope.FULL:
        return
    for shop in Shop.objects.filter(owner=user):
        roll_back_recent_changes(
            shop, reason=f"The owner's account was frozen ({reason[:150]}).", context=context
        )
