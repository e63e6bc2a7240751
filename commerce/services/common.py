"""What the services share: state transitions that fail with a stable code, and text checks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from commerce.errors import StateConflict


def move(instance, transition: str, *, code: str, message: str, **kwargs):
    """Run the model's django-fsm transition, or raise StateConflict(code) and change nothing.

    `message` (translated, or marked with gettext_lazy) may name the current state as %(status)s:
    "This order is %(status)s: it cannot be shipped."
    """
    method = getattr(instance, transition)
    if not can_proceed(method):
        status = instance.get_status_display().lower()
        raise StateConflict(message % {"status": status} if "%(status)s" in message else message, code=code)
    return method(**kwargs)


def text(value, *, field: str, max_length: int, required: bool = True, multiline: bool = False) -> str:
    """Trimmed text without control characters (line breaks only where `multiline`).

    ValidationError({field: [...]}) when it is missing, too long or holds control characters.
    """
    value = str(value or "").strip()
    allowed = "\n\r\t" if multiline else ""
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in value):
        message = (
            _("Remove the line breaks and control characters.")
            if not multiline
            else (_("Remove the control characters from this text."))
        )
        raise ValidationError({field: [message]}, code="invalid")
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]}, code="required")
    if len(value) > max_length:
        raise ValidationError(
            {
                field: [
                    _("Keep this to %(maximum)d characters or fewer (it has %(length)d).")
                    % {"maximum": max_length, "length": len(value)}
                ]
            },
            code="max_length",
        )
    return value


def collect(*checks) -> dict:
    """Run (field, check) pairs; ValidationError with every field's problem at once."""
    errors, cleaned = {}, {}
    for field, check in checks:
        try:
            cleaned[field] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned
