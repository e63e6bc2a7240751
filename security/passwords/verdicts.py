"""Whether a person's current password passes today's rules (SPEC §4), for the security check-up.

Only a hash of the password is stored, so the rules can be applied only when the password is in
plain text: when it is set (it passed them then), and at each sign-in. The verdict is kept with a
keyed hash of what it depends on: the password's stored hash, the details the rules compare it with
(e-mail, names, birth date) and the rules themselves. When any of them changes, the verdict is out
of date until the next sign-in or password change.

The shop names the similarity rule also reads are left out of that basis: a new shop is no reason
to doubt a password that passed.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from security.models import PasswordVerdict
from security.passwords.report import check_password_strength


@dataclass(frozen=True)
class Verdict:
    """`passes`: the rules' answer when last checked; `current`: nothing it depends on changed since."""

    passes: bool
    current: bool
    checked_at: datetime


def basis(user) -> str:
    """A keyed hash of everything the verdict depends on, 64 hex digits."""
    parts = [
        user.password,
        (user.email or "").lower(),
        user.first_name or "",
        user.last_name or "",
        user.date_of_birth.isoformat() if user.date_of_birth else "",
        settings.AUTH_PASSWORD_VALIDATORS,
    ]
    return salted_hmac(
        "security.password-verdict", json.dumps(parts, sort_keys=True), algorithm="sha256"
    ).hexdigest()


def _save(user, passes: bool) -> None:
    PasswordVerdict.objects.update_or_create(
        user=user, defaults={"passes": passes, "basis": basis(user), "checked_at": timezone.now()}
    )


def record_set(user) -> None:
    """The password was just set through the rules: it passes them."""
    _save(user, True)


def record_sign_in(user, password: str) -> None:
    """Apply the rules to the password a sign-in just accepted, unless the verdict is current.

    One query when it is current; otherwise the rules run once (a few milliseconds: the strength
    estimate dominates, and the history rule is skipped, the password being the current one).
    """
    stored = PasswordVerdict.objects.filter(user=user).values_list("basis", flat=True).first()
    if stored == basis(user):
        return
    _save(user, check_password_strength(password, user, history=False).ok)


def verdict_of(user, row: PasswordVerdict | None) -> Verdict | None:
    """The user's verdict from their PasswordVerdict row (None: never checked)."""
    if row is None:
        return None
    return Verdict(passes=row.passes, current=row.basis == basis(user), checked_at=row.checked_at)
