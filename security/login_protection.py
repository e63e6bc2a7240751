"""Login protection (SPEC §7): the lockout.

The lockout: 5 failures on an account or 20 from one IP in 15 minutes.

The counts are rows of LoginFailure in the database, so every web process and node sees the same
ones. django-axes was considered: it keys one failure limit on a combination of parameters, while
this product needs two independent limits (per account and per IP) with different thresholds and a
success that clears only the account's count. Two indexed counts over one small table do that in a
single query, with nothing else to configure.
"""

import math

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from security.models import LoginFailure


class LoginLocked(Exception):
    """Too many recent failures: the caller should answer 429 with this Retry-After (seconds)."""

    def __init__(self, retry_after: int):
        super().__init__(f"Try again in {retry_after} seconds.")
        self.retry_after = retry_after


def enabled() -> bool:
    return settings.LOGIN_PROTECTION


def _normalise(email: str) -> str:
    return (email or "").strip().lower()[:254]


def begin_attempt(email: str, ip: str | None) -> LoginFailure:
    """Check the limits before the password is looked at; LoginLocked when the account or the IP has
    reached its limit (known or unknown e-mail alike). Pass the result to attempt_failed/succeeded.

    The attempt is written as a failure first and the others counted after: of N simultaneous
    attempts the k-th to be written sees at least k-1 others, so no more than the limit reach the
    password check however they are spread over processes and nodes. A success takes it back.
    """
    attempt = LoginFailure(email=_normalise(email), ip=ip or None, created=timezone.now())
    attempt.earlier_account_failures = 0
    if not enabled():
        return attempt
    _refuse_over_limit(attempt, _counts(attempt))
    attempt.save()
    counts = _counts(attempt)
    _refuse_over_limit(attempt, counts)
    attempt.earlier_account_failures = counts["account"]
    return attempt


def _rows(attempt: LoginFailure) -> tuple[Q, Q]:
    return Q(email=attempt.email), (Q(ip=attempt.ip) if attempt.ip else Q(pk__in=[]))


def _counts(attempt: LoginFailure) -> dict:
    """Failures in the window for the attempt's account and IP, not counting the attempt itself."""
    by_account, by_ip = _rows(attempt)
    since = attempt.created - settings.LOGIN_FAILURE_WINDOW
    rows = LoginFailure.objects.filter(by_account | by_ip, created__gte=since)
    if attempt.pk:
        rows = rows.exclude(pk=attempt.pk)
    return rows.aggregate(account=Count("id", filter=by_account), ip=Count("id", filter=by_ip))


def _refuse_over_limit(attempt: LoginFailure, counts: dict) -> None:
    by_account, by_ip = _rows(attempt)
    over = []
    if counts["account"] >= settings.LOGIN_FAILURE_LIMIT_ACCOUNT:
        over.append((by_account, settings.LOGIN_FAILURE_LIMIT_ACCOUNT))
    if counts["ip"] >= settings.LOGIN_FAILURE_LIMIT_IP:
        over.append((by_ip, settings.LOGIN_FAILURE_LIMIT_IP))
    if not over:
        return
    if attempt.pk:
        # A refused attempt is not a failure: counting it would keep an account locked for as
        # long as someone keeps knocking.
        LoginFailure.objects.filter(pk=attempt.pk).delete()
    now = timezone.now()
    since = now - settings.LOGIN_FAILURE_WINDOW
    raise LoginLocked(max(_wait(rows, limit, since, now) for rows, limit in over))


def _wait(rows: Q, limit: int, since, now) -> int:
    """Seconds until the count falls below the limit: when the limit-th newest failure ages out."""
    created = (
        LoginFailure.objects.filter(rows, created__gte=since)
        .order_by("-created")
        .values_list("created", flat=True)[limit - 1 : limit]
    )
    oldest_counted = next(iter(created), now)
    remaining = (oldest_counted + settings.LOGIN_FAILURE_WINDOW - now).total_seconds()
    return max(1, math.ceil(remaining))


def attempt_succeeded(attempt: LoginFailure | None) -> None:
    """The password was right: the attempt is no failure, and the account's count starts again.

    The account's earlier rows stay, without their e-mail, so that they still count for the IP.
    """
    if attempt is None:
        return
    if attempt.pk:
        LoginFailure.objects.filter(pk=attempt.pk).delete()
    if attempt.earlier_account_failures:
        LoginFailure.objects.filter(email=attempt.email).update(email="")


def attempt_failed(attempt: LoginFailure) -> None:
    """The password was wrong: the attempt counts. Rows past the window count for nothing, and
    pruning them here keeps the table small without a periodic job."""
    if not enabled():
        return
    if not attempt.pk:
        attempt.save()
    LoginFailure.objects.filter(created__lt=attempt.created - 4 * settings.LOGIN_FAILURE_WINDOW).delete()
