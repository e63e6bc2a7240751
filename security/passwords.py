"""The password rules of SPEC §4, as Django password validators, and the one strength check.

Each validator raises a ValidationError whose code is one of the API's failure codes and whose
message tells the person what to change. Forms, services and POST /api/v1/password/check all go
through AUTH_PASSWORD_VALIDATORS, so the rules live in settings and here only.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import zxcvbn_rs_py
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128
# zxcvbn scores at most this many characters (the reference implementation refuses longer input).
ZXCVBN_MAX_LENGTH = 72
MIN_SCORE = 3
HISTORY_SIZE = 5
RUN_LENGTH = 4

# Sequences a run may follow, in either direction. The digits 0-9 and the keyboard's digit row
# differ only at the ends (0123 along the digits, 7890 along the row), so both are listed.
SEQUENCES = {
    "abcdefghijklmnopqrstuvwxyz": "the alphabet",
    "0123456789": "the digits",
    "1234567890": "a keyboard row",
    "qwertyuiop": "a keyboard row",
    "asdfghjkl": "a keyboard row",
    "zxcvbnm": "a keyboard row",
}


def _runs(length: int) -> dict[str, str]:
    runs = {}
    for sequence, name in SEQUENCES.items():
        for text in (sequence, sequence[::-1]):
            for start in range(len(text) - length + 1):
                runs.setdefault(text[start : start + length], name)
    return runs


# Every run of RUN_LENGTH characters, forwards and backwards: a longer run always holds one of them.
_RUNS = _runs(RUN_LENGTH)


def find_sequence(password: str) -> tuple[str, str] | None:
    """The first run of 4 characters along the alphabet, the digits or a keyboard row, and its name."""
    lowered = password.lower()
    for start in range(len(lowered) - RUN_LENGTH + 1):
        window = lowered[start : start + RUN_LENGTH]
        name = _RUNS.get(window)
        if name:
            return window, name
    return None


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


def shop_names(user) -> list[str]:
    """Names of the shops the user belongs to, read once per user object."""
    if user is None or user.pk is None:
        return []
    cached = getattr(user, "_password_shop_names", None)
    if cached is None:
        from accounts.selectors import memberships_of

        cached = [membership.shop.name for membership in memberships_of(user)]
        user._password_shop_names = cached
    return cached


def personal_details(user) -> list[tuple[str, str]]:
    """(label, value) pairs a password must not resemble: e-mail, names and shop names."""
    if user is None:
        return []
    details = [
        ("first name", getattr(user, "first_name", "") or ""),
        ("last name", getattr(user, "last_name", "") or ""),
        *[("shop name", name) for name in shop_names(user)],
        ("e-mail address", getattr(user, "email", "") or ""),
    ]
    return [(label, value) for label, value in details if isinstance(value, str) and value.strip()]


def user_inputs(user) -> list[str]:
    """The words zxcvbn should treat as easy to guess for this user."""
    inputs = []
    for label, value in personal_details(user):
        inputs.append(value.lower())
        if label == "e-mail address":
            inputs.append(value.lower().partition("@")[0])
    return inputs


class LengthValidator:
    """8 to 128 characters."""

    def __init__(self, min_length=MIN_LENGTH, max_length=MAX_LENGTH):
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Use at least {self.min_length} characters (this one has {len(password)}).",
                code="too_short",
            )
        if len(password) > self.max_length:
            raise ValidationError(
                f"Use at most {self.max_length} characters (this one has {len(password)}).",
                code="too_long",
            )

    def get_help_text(self):
        return f"Between {self.min_length} and {self.max_length} characters."


class CharacterMixValidator:
    """At least one letter, one digit and one symbol (any character that is neither)."""

    def validate(self, password, user=None):
        errors = []
        if not any(char.isalpha() for char in password):
            errors.append(ValidationError("Add at least one letter.", code="missing_letter"))
        if not any(char.isdigit() for char in password):
            errors.append(ValidationError("Add at least one digit (0-9).", code="missing_digit"))
        if all(char.isalnum() for char in password):
            errors.append(
                ValidationError("Add at least one symbol, such as ! # @ % or a space.", code="missing_symbol")
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return "At least one letter, one digit and one symbol."


class SequenceValidator:
    """No run of 4 along the alphabet, the digits or a keyboard row, either way, any case."""

    def validate(self, password, user=None):
        found = find_sequence(password)
        if found:
            run, name = found
            raise ValidationError(
                f"Remove “{run}”: 4 or more characters in a row along {name} are among the first "
                "things attackers try.",
                code="sequence",
            )

    def get_help_text(self):
        return "No runs such as abcd, 4321, qwer or asdf."


class BirthDateValidator:
    """Not the birth year, nor month and day together, when the user gave a birth date."""

    def validate(self, password, user=None):
        born = getattr(user, "date_of_birth", None)
        part = find_birth_date(password, born)
        if part:
            what = "birth year" if part == f"{born.year:04d}" else "birthday"
            raise ValidationError(
                f"Remove your {what} ({part}): anyone who knows you, or finds your profile, can guess it.",
                code="birth_date",
            )

    def get_help_text(self):
        return "Not your birth date: neither the year nor the day and month."


class PasswordHistoryValidator:
    """Not one of the account's last 5 passwords (the current one included)."""

    def __init__(self, history_size=HISTORY_SIZE):
        self.history_size = history_size

    def previous_hashes(self, user) -> list[str]:
        """At most `history_size` distinct hashes, newest first; one verification each."""
        if user is None or user.pk is None:
            return []
        from security.models import PasswordHistory

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
                    f"You used this password recently. Choose one that differs from your last "
                    f"{self.history_size}.",
                    code="reused",
                )

    def get_help_text(self):
        return f"Not one of your last {self.history_size} passwords."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "This password is on lists of common passwords that attackers try first. "
                "Choose something less predictable.",
                code="common",
            ) from None

    def get_help_text(self):
        return "Not a commonly used password."


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
                        f"This password is too close to your {label}. Choose one that has nothing "
                        "to do with your name, e-mail or shop.",
                        code="similar",
                    )

    def get_help_text(self):
        return "Not close to your e-mail, name or shop name."


SCORE_LABELS = ["very weak", "weak", "fair", "strong", "very strong"]
# Starts of a long password that may stand for the whole (see measure()).
SHORTCUT_PREFIXES = (20, 32)
# zxcvbn-rs counts guesses in 64 bits: 2**64 - 1 is its ceiling.
CEILING_GUESSES_LOG10 = 19.2


@dataclass
class Strength:
    score: int
    suggestions: list[str] = field(default_factory=list)


def _repeats_itself(text: str) -> bool:
    """True when some 3 characters occur twice (ignoring case): zxcvbn scores repeats as one."""
    seen = set()
    lowered = text.lower()
    for start in range(len(lowered) - 2):
        gram = lowered[start : start + 3]
        if gram in seen:
            return True
        seen.add(gram)
    return False


def measure(password: str, user=None) -> Strength:
    """zxcvbn's score (0-4) and advice for the first 72 characters; never raises.

    zxcvbn's cost grows steeply with length (tens of milliseconds at 72 random characters), so a
    long password whose first 20 or 32 characters already reach zxcvbn's ceiling of guesses, and
    that repeats no part of itself, is given the top score without scoring the rest: whoever guesses
    the whole also holds its start. Repeats are excluded because zxcvbn scores "XYXY" lower than
    "XYX"; on thousands of generated word, phrase and random passwords this never overstated
    the full score.
    """
    password = password[:ZXCVBN_MAX_LENGTH]
    inputs = user_inputs(user)
    try:
        if len(password) > SHORTCUT_PREFIXES[0] and not _repeats_itself(password):
            for cut in SHORTCUT_PREFIXES:
                if len(password) > cut:
                    head = zxcvbn_rs_py.zxcvbn(password[:cut], inputs)
                    if head.guesses_log10 >= CEILING_GUESSES_LOG10:
                        return Strength(score=4)
        result = zxcvbn_rs_py.zxcvbn(password, inputs)
    except Exception:  # a strength estimate must never turn into a server error
        return Strength(score=0)
    suggestions = []
    feedback = result.feedback
    if feedback is not None:
        if feedback.warning is not None and str(feedback.warning):
            suggestions.append(str(feedback.warning))
        suggestions += [str(suggestion) for suggestion in feedback.suggestions]
    return Strength(score=int(result.score), suggestions=suggestions)


class ZxcvbnValidator:
    """A zxcvbn score of at least 3, with the user's e-mail, names and shop names as known words."""

    def __init__(self, min_score=MIN_SCORE):
        self.min_score = min_score

    def failure(self, strength: Strength) -> ValidationError | None:
        if strength.score >= self.min_score:
            return None
        return ValidationError(
            f"This password is too easy to guess (strength: {SCORE_LABELS[strength.score]}). Make it "
            "longer, or add words and symbols that are not about you.",
            code="too_guessable",
        )

    def validate(self, password, user=None):
        error = self.failure(measure(password, user))
        if error:
            raise error

    def get_help_text(self):
        return "Hard to guess: a strength of “strong” or better."


@dataclass
class Failure:
    code: str
    message: str


@dataclass
class StrengthReport:
    ok: bool
    score: int
    failures: list[Failure]
    suggestions: list[str]


def check_password_strength(
    password: str, user=None, *, history: bool | Callable[[], bool] = True
) -> StrengthReport:
    """Every rule of AUTH_PASSWORD_VALIDATORS applied to `password` for `user`, and its score.

    `user` may be unsaved (a sign-up or invitation form's details); the history rule runs only for
    a saved user, only once every other rule passes (it costs one Argon2 verification per remembered
    password, too much to spend on every keystroke), and only when `history` is true, or, given a
    callable, when it answers true at that moment (a rate limit asked only when it would be spent).
    """
    failures: list[Failure] = []
    strength = None
    deferred = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, PasswordHistoryValidator):
            deferred.append(validator)
            continue
        if isinstance(validator, ZxcvbnValidator):
            strength = measure(password, user)
            failures += _failures(validator.failure(strength))
        else:
            failures += _failures(_refusal(validator, password, user))
    if not failures and deferred and (history() if callable(history) else history):
        for validator in deferred:
            failures += _failures(_refusal(validator, password, user))
    if strength is None:
        strength = measure(password, user)
    return StrengthReport(
        ok=not failures, score=strength.score, failures=failures, suggestions=strength.suggestions
    )


def _refusal(validator, password, user) -> ValidationError | None:
    try:
        validator.validate(password, user)
    except ValidationError as refusal:
        return refusal
    return None


def _failures(error: ValidationError | None) -> list[Failure]:
    if error is None:
        return []
    return [Failure(code=e.code or "invalid", message=str(e.message)) for e in error.error_list]
