from permissions.registry import modules_for


def shop_menu(request):
    """The current shop's membership and the modules its grants open, for the base layout."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {"membership": membership, "shop": membership.shop, "shop_modules": modules_for(membership.grants)}
