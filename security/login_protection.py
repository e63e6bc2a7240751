"""Login protection (SPEC §7): the lockout, which must stop guessing without locking the owner out.

Failures are counted in budgets, each over LOGIN_FAILURE_WINDOW (15 minutes):
- the account: LOGIN_FAILURE_LIMIT_ACCOUNT (5) failures from browsers it does not know, counted
  under one canonical key of the typed address (accounts.addresses), so look-alike spellings share
  one count, and an unknown address is counted just like a known one;
- each browser that completed a full sign-in on the account before (its known-device cookie,
  security.account_history): its own LOGIN_FAILURE_LIMIT_KNOWN_DEVICE (5). Failures from elsewhere,
  the account's or the IP's, never stop it;
- each IP: LOGIN_FAILURE_LIMIT_IP (20), for every attempt not from such a browser.
Over a budget, attempts get 429 with Retry-After. A success starts its own budget again; a completed
password reset clears the account's budgets (reset_completed).

When the account's budget runs out a lock begins: the log gets one event naming the failures that led
to it, and the account holder an e-mail, at most once per LOGIN_GUESSING_EMAIL_INTERVAL. Attempts
refused while it lasts are counted on LoginLockout, outside the append-only log, and the Account
Security page shows the number.

The counts are rows of LoginFailure in the database, so every web process and node sees the same
ones. django-axes keys one failure limit on a combination of parameters; this product needs several
independent budgets with a success that clears only its own, which two indexed counts over one small
table give in a single query.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import canonical_email
from audit.events import EventKind, RequestContext, record_event
from notifications.email import send_email
from security.account_history import known_device_key
from security.models import LoginFailure, LoginLockout

# Locks closer together than this belong to one spell of guessing: the refused count adds up.
SPELL_GAP = timedelta(hours=24)


class LoginLocked(Exception):
    """Too many recent failures: the caller should answer 429 with this Retry-After (seconds)."""

    def __init__(self, retry_after: int):
        super().__init__(_("Try again in %(seconds)d seconds.") % {"seconds": retry_after})
        self.retry_after = retry_after


def enabled() -> bool:
    return settings.LOGIN_PROTECTION


def account_key(address: str) -> str:
    """The key an address's failures are counted under."""
    return canonical_email(address)[:254]


@dataclass
class Attempt:
    """A sign-in in progress: written as a failure until the password proves otherwise."""

    failure: LoginFailure
    user: object | None  # the account the address names, if any
    context: RequestContext
    earlier: dict = field(default_factory=dict)  # failures per budget before this one

    @property
    def from_known_device(self) -> bool:
        return bool(self.failure.device)


@dataclass(frozen=True)
class _Budget:
    name: str
    rows: Q
    limit: int


def _budgets(attempt: Attempt) -> list[_Budget]:
    failure = attempt.failure
    if failure.device:
        return [
            _Budget(
                "device",
                Q(account=failure.account, device=failure.device),
                settings.LOGIN_FAILURE_LIMIT_KNOWN_DEVICE,
            )
        ]
    budgets = [
        _Budget("account", Q(account=failure.account, device=""), settings.LOGIN_FAILURE_LIMIT_ACCOUNT)
    ]
    if failure.ip:
        budgets.append(_Budget("ip", Q(ip=failure.ip), settings.LOGIN_FAILURE_LIMIT_IP))
    return budgets


def begin_attempt(email: str, context: RequestContext) -> Attempt:
    """Check the budgets before the password is looked at; LoginLocked when one is spent (known or
    unknown address alike). Pass the result to attempt_failed() or attempt_succeeded().

    The attempt is written as a failure first and the others counted after: of N simultaneous
    attempts the k-th to be written sees at least k-1 others, so no more than the limit reach the
    password check however they are spread over processes and nodes. A success takes it back.
    """
    user = get_user_model().objects.by_email(email).first()
    failure = LoginFailure(
        account=account_key(email),
        device=known_device_key(user, context.device_id),
        ip=context.ip or None,
        created=timezone.now(),
    )
    attempt = Attempt(failure=failure, user=user, context=context)
    if not enabled():
        return attempt
    _refuse_over_budget(attempt)
    failure.save()
    attempt.earlier = _refuse_over_budget(attempt)
    return attempt


def _counts(attempt: Attempt, budgets: list[_Budget]) -> dict[str, int]:
    """Failures in the window in each budget, not counting the attempt itself."""
    since = attempt.failure.created - settings.LOGIN_FAILURE_WINDOW
    every = Q(pk__in=[])
    for budget in budgets:
        every |= budget.rows
    rows = LoginFailure.objects.filter(every, created__gte=since)
    if attempt.failure.pk:
        rows = rows.exclude(pk=attempt.failure.pk)
    return rows.aggregate(**{b.name: Count("id", filter=b.rows) for b in budgets})


def _refuse_over_budget(attempt: Attempt) -> dict[str, int]:
    budgets = _budgets(attempt)
    counts = _counts(attempt, budgets)
    spent = [b for b in budgets if counts[b.name] >= b.limit]
    if not spent:
        return counts
    if attempt.failure.pk:
        # A refused attempt is not a failure: counting it would keep an account locked for as
        # long as someone keeps knocking.
        LoginFailure.objects.filter(pk=attempt.failure.pk).delete()
    if attempt.user is not None and any(b.name == "account" for b in spent):
        LoginLockout.objects.filter(user=attempt.user).update(refused=F("refused") + 1)
    now = timezone.now()
    raise LoginLocked(max(_wait(b, now) for b in spent))


def _wait(budget: _Budget, now) -> int:
    """Seconds until the count falls below the limit: when the limit-th newest failure ages out."""
    created = (
        LoginFailure.objects.filter(budget.rows, created__gte=now - settings.LOGIN_FAILURE_WINDOW)
        .order_by("-created")
        .values_list("created", flat=True)[budget.limit - 1 : budget.limit]
    )
    oldest_counted = next(iter(created), now)
    remaining = (oldest_counted + settings.LOGIN_FAILURE_WINDOW - now).total_seconds()
    return max(1, math.ceil(remaining))


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: the attempt is no failure, and its own budget starts again (the
    account's for an unknown browser, the browser's own for a known one).

    The cleared rows stay, without their account, so that they still count for the IP.
    """
    if attempt.failure.pk:
        LoginFailure.objects.filter(pk=attempt.failure.pk).delete()
    own = "device" if attempt.from_known_device else "account"
    if attempt.earlier.get(own):
        LoginFailure.objects.filter(account=attempt.failure.account, device=attempt.failure.device).update(
            account=""
        )


def attempt_failed(attempt: Attempt) -> None:
    """The password was wrong: the attempt counts, and when it spends the account's budget a lock
    begins. Rows past the window count for nothing; pruning them here keeps the table small."""
    if not enabled():
        return
    failure = attempt.failure
    LoginFailure.objects.filter(created__lt=failure.created - 4 * settings.LOGIN_FAILURE_WINDOW).delete()
    if attempt.user is None or attempt.from_known_device:
        return
    if attempt.earlier.get("account", 0) + 1 >= settings.LOGIN_FAILURE_LIMIT_ACCOUNT:
        _lock_began(attempt)


@transaction.atomic
def _lock_began(attempt: Attempt) -> None:
    """Record the start of the account's lock once, however many attempts reach it together."""
    user, now = attempt.user, timezone.now()
    budget = _budgets(attempt)[0]
    failures = list(
        LoginFailure.objects.filter(budget.rows, created__gte=now - settings.LOGIN_FAILURE_WINDOW)
        .order_by("created")
        .values_list("created", "ip")
    )
    if len(failures) < budget.limit:
        return
    until = failures[-budget.limit][0] + settings.LOGIN_FAILURE_WINDOW
    LoginLockout.objects.bulk_create(
        [LoginLockout(user=user, started_at=now, until=now)], ignore_conflicts=True
    )
    lock = LoginLockout.objects.select_for_update().get(user=user)
    if lock.until > now and lock.failures:
        return
    if not lock.failures or lock.until < now - SPELL_GAP:
        lock.started_at, lock.refused = now, 0
    lock.until, lock.failures = until, len(failures)
    notify = lock.notified_at is None or lock.notified_at <= now - settings.LOGIN_GUESSING_EMAIL_INTERVAL
    if notify:
        lock.notified_at = now
    lock.save()
    record_event(
        user,
        EventKind.LOGIN_LOCKED,
        context=attempt.context,
        locked_until=until.isoformat(timespec="seconds"),
        failures=[{"at": when.isoformat(timespec="seconds"), "ip": ip} for when, ip in failures],
    )
    if notify:
        send_email(
            user,
            "sign_in_guessing",
            {"failures": len(failures), "first": failures[0][0], "until": until},
        )


def reset_completed(user) -> None:
    """A completed password reset: the account's failures stop counting (they still count for
    their IPs) and its lock ends. Call it inside the reset's transaction."""
    LoginFailure.objects.filter(account=account_key(user.email)).update(account="")
    LoginLockout.objects.filter(user=user, until__gt=timezone.now()).update(until=timezone.now())


def latest_lockout(user) -> LoginLockout | None:
    """The account's latest lock, for the Account Security page (None: never locked)."""
    return LoginLockout.objects.filter(user=user).first()


@transaction.atomic
def clear_lockout(user, *, by, reason: str, context: RequestContext) -> int:
    """Support staff lift the account's lockout within a recovery case (SPEC §8), as a completed reset
    does: its failures stop counting (they still count for their IPs) and its lock ends. Records
    LOGIN_LOCKOUT_CLEARED and e-mails the account. Returns how many failures were cleared."""
    cleared = LoginFailure.objects.filter(account=account_key(user.email)).count()
    reset_completed(user)
    record_event(
        user,
        EventKind.LOGIN_LOCKOUT_CLEARED,
        context=context,
        by=getattr(by, "email", None) or "",
        reason=reason[:200],
        failures=cleared,
    )
    send_email(user, "login_lockout_cleared", {"by": by, "reason": reason})
    return cleared
