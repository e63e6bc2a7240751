from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, page: str) -> str:
    """{% panels "account_security" %}: every panel the apps above registered for this page."""
    request = context["request"]
    # Each piece is a rendered template, escaped where it needed to be.
    return mark_safe(  # noqa: S308
        "".join(
            render_to_string(name, {**context.flatten(), **extra}, request=request)
            for name, extra in panels_for(page, request)
        )
    )
