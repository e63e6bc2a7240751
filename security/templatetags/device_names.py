"""{{ user_agent|device_name }}: a browser as people know it ("Chrome on macOS"), never the raw header."""

from django import template

from security.device_names import describe_device

register = template.Library()


@register.filter
def device_name(user_agent: str) -> str:
    return describe_device(user_agent or "")
