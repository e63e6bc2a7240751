"""Checks of the details a person enters on Account Information, shared by the page, the API and the
services, so that each says the same thing in the same words."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.time_zones import is_time_zone

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
PHRASE_MAX_LENGTH = 64


def validate_date_of_birth(value: date | None) -> None:
    """A birth date is optional; when given it lies between 1 January 1900 and today."""
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(_("A birth date cannot be in the future. Check the year."), code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Enter a birth date after 1 January 1900. Check the year."), code="too_early")


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError(
            _("Choose a time zone from the list, such as Europe/Berlin or UTC."), code="unknown_time_zone"
        )


def clean_anti_phishing_phrase(phrase: str) -> str:
    """The phrase with runs of spaces folded to one; ValidationError when it cannot be shown in an
    e-mail as typed (control characters) or is longer than PHRASE_MAX_LENGTH."""
    phrase = " ".join((phrase or "").split())
    if len(phrase) > PHRASE_MAX_LENGTH:
        raise ValidationError(
            _("Use at most %(maximum)d characters (this one has %(length)d).")
            % {"maximum": PHRASE_MAX_LENGTH, "length": len(phrase)},
            code="max_length",
        )
    if phrase and not phrase.isprintable():
        raise ValidationError(_("Use letters, digits, spaces and punctuation only."), code="invalid")
    return phrase
