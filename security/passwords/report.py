"""The live password check (POST /api/v1/password/check): every rule, and the strength, at once."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from security.passwords.rules import PasswordHistoryValidator, ZxcvbnValidator
from security.passwords.strength import measure


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
            failures += _failures(validator.failure(strength, password))
        else:
            failures += _failures(_refusal(validator, password, user))
    if not failures and deferred and (history() if callable(history) else history):
        for validator in deferred:
            failures += _failures(_refusal(validator, password, user))
    if strength is None:
        strength = measure(password, user)
    # zxcvbn's ideas help only a password it finds too easy to guess; beside any other refusal they
    # would be a second voice.
    guessable = any(f.code == "too_guessable" for f in failures)
    return StrengthReport(
        ok=not failures,
        score=strength.score,
        failures=failures,
        suggestions=strength.suggestions if guessable else [],
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
