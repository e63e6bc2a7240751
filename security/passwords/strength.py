"""How hard a password is to guess: zxcvbn's estimate, given the words that are personal to the user."""

from dataclasses import dataclass, field

import zxcvbn_rs_py
from django.utils.translation import gettext_lazy

from accounts.selectors import memberships_of

# zxcvbn scores at most this many characters (the reference implementation refuses longer input).
ZXCVBN_MAX_LENGTH = 72


def shop_names(user) -> list[str]:
    """Names of the shops the user belongs to, read once per user object.

    A form that opens a shop sets `_password_shop_names` on the (possibly unsaved) user beforehand,
    so the name it is about to use counts too.
    """
    if user is None:
        return []
    cached = getattr(user, "_password_shop_names", None)
    if cached is None:
        if user.pk is None:
            return []
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


# zxcvbn's scores 0-4 in words, as the person reads them.
SCORE_LABELS = [
    gettext_lazy("very weak"),
    gettext_lazy("weak"),
    gettext_lazy("fair"),
    gettext_lazy("strong"),
    gettext_lazy("very strong"),
]
# Starts of a long password that may stand for the whole (see measure()).
SHORTCUT_PREFIXES = (20, 32)
# zxcvbn-rs counts guesses in 64 bits: 2**64 - 1 is its ceiling.
CEILING_GUESSES_LOG10 = 19.2


# zxcvbn's warnings that say the password is, or resembles, a common one: the "common" rule's
# business, so the meter never ticks "not a common password" beside them.
COMMON_WARNINGS = frozenset(
    {
        "This is a top-10 common password.",
        "This is a top-100 common password.",
        "This is a very common password.",
        "This is similar to a commonly used password.",
    }
)


@dataclass
class Strength:
    """zxcvbn's score (0-4), its warning ("" when none) and its suggestions."""

    score: int
    suggestions: list[str] = field(default_factory=list)
    warning: str = ""

    @property
    def looks_common(self) -> bool:
        return self.warning in COMMON_WARNINGS


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
    feedback = result.feedback
    if feedback is None:
        return Strength(score=int(result.score))
    warning = str(feedback.warning) if feedback.warning is not None else ""
    return Strength(
        score=int(result.score),
        suggestions=[str(suggestion) for suggestion in feedback.suggestions],
        warning=warning,
    )
