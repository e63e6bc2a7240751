from django import template

from security import event_text

register = template.Library()


@register.filter
def event_sentence(event) -> str:
    """{{ event|event_sentence }}: the event's details in words."""
    return event_text.sentence(event.kind, event.details)


@register.filter
def event_device(event) -> str:
    """{{ event|event_device }}: "Chrome on macOS", or "" when the event carries no browser."""
    return event_text.device(event)
