"""The password rules of SPEC §4, one Django password validator each.

Each validator raises a ValidationError whose code is one of FailureCode's and whose message tells
the person what to change. Forms, services and POST /api/v1/password/check all go through
AUTH_PASSWORD_VALIDATORS, so the rules live in settings and here only.
"""

import re
from difflib import SequenceMatcher
from enum import StrEnum

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from security.models import PasswordHistory
from security.passwords.strength import SCORE_LABELS, Strength, measure, personal_details


class FailureCode(StrEnum):
    """The codes of broken rules, as the check endpoint reports them (SPEC §10)."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    MISSING_LETTER = "missing_letter"
    MISSING_DIGIT = "missing_digit"
    MISSING_SYMBOL = "missing_symbol"
    SEQUENCE = "sequence"
    BIRTH_DATE = "birth_date"
    REUSED = "reused"
    COMMON = "common"
    SIMILAR = "similar"
    TOO_GUESSABLE = "too_guessable"


MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 3
HISTORY_SIZE = 5
RUN_LENGTH = 4

# Sequences a run may follow, in either direction. The digits 0-9 and the keyboard's digit row
# differ only at the ends (0123 along the digits, 7890 along the row), so both are listed.
SEQUENCES = {
    "abcdefghijklmnopqrstuvwxyz": gettext_lazy("the alphabet"),
    "0123456789": gettext_lazy("the digits"),
    "1234567890": gettext_lazy("a keyboard row"),
    "qwertyuiop": gettext_lazy("a keyboard row"),
    "asdfghjkl": gettext_lazy("a keyboard row"),
    "zxcvbnm": gettext_lazy("a keyboard row"),
}


def _runs(length: int) -> dict:
    runs = {}
    for sequence, name in SEQUENCES.items():
        for text in (sequence, sequence[::-1]):
            for start in range(len(text) - length + 1):
                runs.setdefault(text[start : start + length], name)
    return runs


# Every run of RUN_LENGTH characters, forwards and backwards: a longer run always holds one of them.
_RUNS = _runs(RUN_LENGTH)


def find_sequence(password: str) -> tuple[str, str] | None:
    """The first run of 4 characters along the alphabet, the digits or a keyboard row, and its name
    (in the active language)."""
    lowered = password.lower()
    for start in range(len(lowered) - RUN_LENGTH + 1):
        window = lowered[start : start + RUN_LENGTH]
        name = _RUNS.get(window)
        if name:
            return window, str(name)
    return None


MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)

# Separators people put inside dates: anything that is not a letter or a digit.
_SEPARATORS = re.compile(r"[\W_]+")


def find_birth_date(password: str, date_of_birth) -> str | None:
    """The part of the birth date the password holds (year, MMDD or DDMM), ignoring separators."""
    if not date_of_birth:
        return None
    compact = _SEPARATORS.sub("", password)
    month, day = f"{date_of_birth.month:02d}", f"{date_of_birth.day:02d}"
    for part in (f"{date_of_birth.year:04d}", month + day, day + month):
        if part in compact:
            return part
    return None


class LengthValidator:
    """8 to 128 characters."""

    def __init__(self, min_length=MIN_LENGTH, max_length=MAX_LENGTH):
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("Use at least %(minimum)d characters (this one has %(length)d).")
                % {"minimum": self.min_length, "length": len(password)},
                code=FailureCode.TOO_SHORT,
            )
        if len(password) > self.max_length:
            raise ValidationError(
                _("Use at most %(maximum)d characters (this one has %(length)d).")
                % {"maximum": self.max_length, "length": len(password)},
                code=FailureCode.TOO_LONG,
            )

    def get_help_text(self):
        return _("Between %(minimum)d and %(maximum)d characters.") % {
            "minimum": self.min_length,
            "maximum": self.max_length,
        }


DIGITS = frozenset("0123456789")


def character_kind(char: str) -> str:
    """ "letter" (a letter of any alphabet), "digit" (0-9 only) or "symbol" (anything else).

    Digits are the ASCII digits alone, as the rule's words say: other scripts' digits ("٣", fullwidth "5")
    and superscripts ("²") cannot be typed on every keyboard the person may sign in from, so they
    count as symbols, never as the digit the rule asks for.
    """
    if char in DIGITS:
        return "digit"
    return "letter" if char.isalpha() else "symbol"


class CharacterMixValidator:
    """At least one letter, one digit 0-9 and one symbol (any character that is neither)."""

    def validate(self, password, user=None):
        kinds = {character_kind(char) for char in password}
        errors = []
        if "letter" not in kinds:
            errors.append(ValidationError(_("Add at least one letter."), code=FailureCode.MISSING_LETTER))
        if "digit" not in kinds:
            errors.append(
                ValidationError(_("Add at least one digit from 0 to 9."), code=FailureCode.MISSING_DIGIT)
            )
        if "symbol" not in kinds:
            errors.append(
                ValidationError(
                    _(
                        "Add at least one symbol: anything that is not a letter or a digit 0-9, such as "
                        "! # @ % or a space."
                    ),
                    code=FailureCode.MISSING_SYMBOL,
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _("At least one letter, one digit from 0 to 9 and one symbol.")


class SequenceValidator:
    """No run of 4 along the alphabet, the digits or a keyboard row, either way, any case."""

    def validate(self, password, user=None):
        found = find_sequence(password)
        if found:
            run, name = found
            raise ValidationError(
                _(
                    "Remove “%(run)s”: 4 or more characters in a row along %(sequence)s are among the "
                    "first things attackers try."
                )
                % {"run": run, "sequence": name},
                code=FailureCode.SEQUENCE,
            )

    def get_help_text(self):
        return _("No runs such as abcd, 4321, qwer or asdf.")


class BirthDateValidator:
    """Not the birth year, nor month and day together, when the user gave a birth date."""

    def validate(self, password, user=None):
        born = getattr(user, "date_of_birth", None)
        part = find_birth_date(password, born)
        if part:
            # Named as a person reads their own birth date, never as the digits typed: "17.05" is
            # not echoed back as "(1705)", and no part of the password is repeated on screen.
            if part == f"{born.year:04d}":
                message = _(
                    "Remove your birth year (%(year)s): anyone who knows you, or finds your profile, "
                    "can guess it."
                ) % {"year": born.year}
            else:
                message = _(
                    "Remove your birthday (%(day)s %(month)s), in any order or format: anyone who knows "
                    "you, or finds your profile, can guess it."
                ) % {"day": born.day, "month": MONTHS[born.month - 1]}
            raise ValidationError(
                message,
                code=FailureCode.BIRTH_DATE,
            )

    def get_help_text(self):
        return _("Not your birth date: neither the year nor the day and month.")


class PasswordHistoryValidator:
    """Not one of the account's last 5 passwords (the current one included)."""

    def __init__(self, history_size=HISTORY_SIZE):
        self.history_size = history_size

    def previous_hashes(self, user) -> list[str]:
        """At most `history_size` distinct hashes, newest first; one verification each."""
        if user is None or user.pk is None:
            return []
        hashes = []
        if user.has_usable_password():
            hashes.append(user.password)
        for encoded in PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
            : self.history_size
        ]:
            if encoded not in hashes:
                hashes.append(encoded)
        return hashes[: self.history_size]

    def validate(self, password, user=None):
        for encoded in self.previous_hashes(user):
            if check_password(password, encoded):
                raise ValidationError(
                    _("You used this password recently. Choose one that differs from your last %(count)d.")
                    % {"count": self.history_size},
                    code=FailureCode.REUSED,
                )

    def get_help_text(self):
        return _("Not one of your last %(count)d passwords.") % {"count": self.history_size}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _(
                    "This password is on lists of common passwords that attackers try first. "
                    "Choose something less predictable."
                ),
                code=FailureCode.COMMON,
            ) from None

    def get_help_text(self):
        return _("Not a commonly used password.")


def _on_common_list(password: str) -> bool:
    """Whether the configured CommonPasswordValidator's list holds the password."""
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, CommonPasswordValidator):
            return password.lower().strip() in validator.passwords
    return False


# personal_details()'s labels, in the words of the active language.
DETAIL_WORDS = {
    "first name": gettext_lazy("first name"),
    "last name": gettext_lazy("last name"),
    "shop name": gettext_lazy("shop name"),
    "e-mail address": gettext_lazy("e-mail address"),
}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's similarity test, against the e-mail, the names and the names of the user's shops."""

    def __init__(self, max_similarity=0.7, min_contained_length=4):
        super().__init__(user_attributes=(), max_similarity=max_similarity)
        self.min_contained_length = min_contained_length

    def validate(self, password, user=None):
        password = password.lower()
        for label, value in personal_details(user):
            value = value.lower()
            for part in [*re.split(r"\W+", value), value]:
                if not part:
                    continue
                # Django's ratio misses a name inside a longer password ("JohnSmith!9z").
                contained = len(part) >= self.min_contained_length and part in password
                if not contained and password_validation.exceeds_maximum_length_ratio(
                    password, self.max_similarity, part
                ):
                    continue
                if contained or SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(
                        _(
                            "This password is too close to your %(detail)s. Choose one that has nothing "
                            "to do with your name, e-mail or shop."
                        )
                        % {"detail": DETAIL_WORDS.get(label, label)},
                        code=FailureCode.SIMILAR,
                    )

    def get_help_text(self):
        return _("Not close to your e-mail, name or shop name.")


class ZxcvbnValidator:
    """A zxcvbn score of at least 3, with the user's e-mail, names and shop names as known words."""

    def __init__(self, min_score=MIN_SCORE):
        self.min_score = min_score

    def failure(self, strength: Strength, password: str = "") -> ValidationError | None:
        """The refusal for a score under min_score: too_guessable, with zxcvbn's reason in words;
        and when zxcvbn finds it close to a common password, a `common` failure too (unless the
        common-password list already refused it), so that the "not a common password" rule and
        this reason never disagree. zxcvbn gives no warning at a score of 3 or more."""
        if strength.score >= self.min_score:
            return None
        errors = []
        reason = ""
        if strength.looks_common:
            if not _on_common_list(password):
                errors.append(
                    ValidationError(
                        _(
                            "This is close to a commonly used password: attackers try those, and small "
                            "changes to them, first."
                        ),
                        code=FailureCode.COMMON,
                    )
                )
        elif strength.warning:
            reason = f" {strength.warning}"
        errors.append(
            ValidationError(
                _(
                    "This password is too easy to guess (strength: %(strength)s).%(reason)s "
                    "Make it longer, or add words and symbols that are not about you."
                )
                % {"strength": SCORE_LABELS[strength.score], "reason": reason},
                code=FailureCode.TOO_GUESSABLE,
            )
        )
        return ValidationError(errors)

    def validate(self, password, user=None):
        error = self.failure(measure(password, user), password)
        if error:
            raise error

    def get_help_text(self):
        return _("Hard to guess: a strength of “strong” or better.")
