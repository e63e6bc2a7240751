"""Panels that apps on higher floors put on pages of lower ones, without the lower app importing them.

Account Security (security) shows an open recovery case (recovery); a shop's dashboard (accounts)
shows the security check-up. The app above registers its panel in its AppConfig.ready(); the page
renders `{% panels "account_security" %}` and never names the app.

Pages with panels: "dashboard" (a shop's dashboard), "account_information" (Account Information),
"account_security" (Account Security) and "shop_page" (the top of every page of a shop, in the
layout: prompts that must not be missed there).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """A template and the function giving its context for a request (None: nothing to show)."""

    template: str
    context: Callable[..., dict | None]
    order: int = 100


_PANELS: dict[str, list[Panel]] = defaultdict(list)


def register(page: str, *, template: str, context: Callable[..., dict | None], order: int = 100) -> None:
    """Show `template` on `page`, with `context(request)` as its context, in ascending `order`."""
    panel = Panel(template=template, context=context, order=order)
    if panel not in _PANELS[page]:
        _PANELS[page].append(panel)
        _PANELS[page].sort(key=lambda p: p.order)


def panels_for(page: str, request) -> list[tuple[str, dict]]:
    """(template, context) of each panel with something to show on this page for this request."""
    shown = []
    for panel in _PANELS.get(page, ()):
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
