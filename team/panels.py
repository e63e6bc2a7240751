"""What the team app shows on pages of lower floors (accounts.panels)."""

from accounts.selectors import memberships_of
from team.forms import NewShopForm


def shop_chooser_panel(request) -> dict | None:
    """On the shop chooser: open another shop, and leave the shops one does not own."""
    if not request.user.is_authenticated:
        return None
    leavable = [m for m in memberships_of(request.user) if m.shop.owner_id != request.user.pk]
    return {"new_shop_form": NewShopForm(), "leavable": leavable}
