from functools import cached_property

from accounts.selectors import memberships_of
from permissions.registry import modules_for


class ShopChoices:
    """The person's shops for the header's shop switcher, read once, and only when the page shows it."""

    LIMIT = 8

    def __init__(self, user):
        self.user = user

    @cached_property
    def _rows(self) -> list:
        return list(memberships_of(self.user)[: self.LIMIT + 1])

    @property
    def shown(self) -> list:
        return self._rows[: self.LIMIT]

    @property
    def more(self) -> bool:
        """More shops than the switcher lists: it links to all of them."""
        return len(self._rows) > self.LIMIT

    @property
    def several(self) -> bool:
        return len(self._rows) > 1


def shop_menu(request):
    """The current shop's membership, the modules its grants open and the person's other shops, for
    the base layout."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "membership": membership,
        "shop": membership.shop,
        "shop_modules": modules_for(membership.grants),
        "shop_choices": ShopChoices(request.user),
    }
