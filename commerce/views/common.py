"""What the module pages share: the shop and grant check, and how an action's outcome shows."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.access import shop_view
from commerce.errors import CommerceError
from permissions.registry import ACTIONS, Grant


def page(grant_or_action: Grant | str, *, name: str | None = None):
    """A shop page needing a grant, or a registry action's grant: 404 outside the caller's shops,
    403 without it, naming the page by `name` when given. Never cached: module pages show live data."""
    grant = ACTIONS[grant_or_action].grant if grant_or_action in ACTIONS else Grant(grant_or_action)

    def decorator(view):
        return login_required(never_cache(shop_view(grant, page=name)(view)))

    return decorator


def refused(request, error: CommerceError, *, back: str):
    """An action the state of things refused (409, or 403/429 on the money path): the page says why
    and leads back; nothing changed."""
    response = render(request, "commerce/refused.html", {"error": error, "back": back}, status=error.status)
    if getattr(error, "wait", None):
        response["Retry-After"] = str(error.wait)
    return response


def act(request, do: Callable, *, success: str, back: str):
    """Run a state change from a button: its message and back to `back`, or the refusal (409)."""
    try:
        do()
    except CommerceError as error:
        return refused(request, error, back=back)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(back)
    messages.success(request, success)
    return redirect(back)
