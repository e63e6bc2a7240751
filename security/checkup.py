"""The security check-up: a score and the next steps, on a shop's dashboard and on Account Security.

The check-up is a small registry of items. Each item looks at one thing (is two-step verification
on, are recovery codes left, does a shop require two-step verification...) and answers with a
Finding: done or not, what it found in words, and the one link that fixes it. The score is the share
of the items' weights that are done, out of 100. Security registers its own items and the card in
SecurityConfig.ready(); the card reaches the pages of the accounts app through accounts.panels.

Two kinds of items:

- ACCOUNT items are about the person: `check(ctx)`, with ctx a CheckupContext (`ctx.user`, and
  `ctx.facts`: the account's second step, recovery codes, password verdict and sessions, read once
  per request in one query).
- SHOP items are about a shop: `check(ctx, membership)`. On a shop's dashboard they run for that
  shop; on Account Security for each shop the person owns (at most MAX_SHOPS). An item that does not
  apply (a member who is not the owner, a shop without members) returns None and counts for nothing.

Another app adds an item by registering it from its own AppConfig.ready(): team's pending
invitations (team/checkup.py) and commerce's recently changed payout account (commerce/checkup.py)
are registered so, with `checkup.register(checkup.Item(key, checkup.Scope.SHOP, check, weight, order))`.

An item pays for its own queries; keep it to one, whatever the number of rows it counts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import memberships_of
from security.models import PasswordVerdict, UserSession
from security.passwords.verdicts import Verdict, verdict_of

# Shops whose items Account Security shows, for a person who owns many.
MAX_SHOPS = 10
# A session still signed in but not used for this long is worth ending.
STALE_SESSION_AGE = timedelta(days=14)


class Scope(StrEnum):
    ACCOUNT = "account"
    SHOP = "shop"


@dataclass(frozen=True)
class Finding:
    """One line of the check-up. `title` says the state in words ("Two-step verification is on",
    "Turn on two-step verification"); `detail` why it matters or what was found; `action` and `url`
    the one step that fixes it (shown while it is not done)."""

    done: bool
    title: str
    detail: str = ""
    action: str = ""
    url: str = ""
    # Filled in by the runner from the item.
    key: str = ""
    weight: int = 1


@dataclass(frozen=True)
class Item:
    """A check-up item: `check` returns a Finding, or None when it does not apply."""

    key: str
    scope: Scope
    check: Callable[..., Finding | None]
    weight: int = 1
    order: int = 100


_ITEMS: dict[str, Item] = {}


def register(item: Item) -> None:
    """Add an item (registering the same key again replaces it)."""
    _ITEMS[item.key] = item


def items() -> list[Item]:
    return sorted(_ITEMS.values(), key=lambda item: (item.order, item.key))


@dataclass(frozen=True)
class AccountFacts:
    """What the security items need to know of the account, read in one query."""

    has_totp: bool
    recovery_codes_left: int
    stale_sessions: int
    password: Verdict | None


def account_facts(user) -> AccountFacts:
    now = timezone.now()
    alive = UserSession.objects.filter(
        user=OuterRef("pk"),
        created__gte=now - settings.SESSION_ABSOLUTE_TIMEOUT,
        last_seen__gte=now - settings.SESSION_IDLE_TIMEOUT - settings.SESSION_TOUCH_INTERVAL,
        session_key__in=Session.objects.filter(expire_date__gt=now).values("session_key"),
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            codes_left=Coalesce(
                Subquery(
                    StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True)
                    .values("device__user")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                Value(0),
                output_field=IntegerField(),
            ),
            stale_sessions=Coalesce(
                Subquery(
                    alive.filter(last_seen__lt=now - STALE_SESSION_AGE)
                    .values("user")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                Value(0),
                output_field=IntegerField(),
            ),
        )
        .select_related("password_verdict")
        .get()
    )
    try:
        verdict_row = row.password_verdict
    except PasswordVerdict.DoesNotExist:
        verdict_row = None
    return AccountFacts(
        has_totp=row.has_totp,
        recovery_codes_left=row.codes_left,
        stale_sessions=row.stale_sessions,
        password=verdict_of(user, verdict_row),
    )


class CheckupContext:
    """What items read: the person, and their account's facts, loaded once per request."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def facts(self) -> AccountFacts:
        return account_facts(self.user)


def context_for(request) -> CheckupContext:
    """The request's CheckupContext, shared by the card and the two-step prompt."""
    ctx = getattr(request, "_checkup", None)
    if ctx is None or ctx.user is not request.user:
        ctx = request._checkup = CheckupContext(request.user)
    return ctx


@dataclass
class Checkup:
    """The findings that apply, the score out of 100, and the steps still to take, heaviest first."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def score(self) -> int:
        total = sum(f.weight for f in self.findings)
        done = sum(f.weight for f in self.findings if f.done)
        return round(100 * done / total) if total else 100

    @property
    def todo(self) -> list[Finding]:
        return sorted((f for f in self.findings if not f.done), key=lambda f: -f.weight)

    @property
    def done(self) -> list[Finding]:
        return [f for f in self.findings if f.done]

    @property
    def level(self) -> str:
        """ "good" at 100, "fair" from 70, "poor" below: the card's colour and words."""
        return "good" if self.score == 100 else "fair" if self.score >= 70 else "poor"


def _found(item: Item, finding: Finding | None) -> Finding | None:
    if finding is None:
        return None
    return Finding(**{**finding.__dict__, "key": item.key, "weight": item.weight})


def run(ctx: CheckupContext, memberships) -> Checkup:
    """Every account item, then every shop item for each of these memberships."""
    checkup = Checkup()
    for item in items():
        if item.scope == Scope.ACCOUNT:
            results = [item.check(ctx)]
        else:
            results = [item.check(ctx, membership) for membership in memberships]
        checkup.findings += [found for r in results if (found := _found(item, r)) is not None]
    return checkup


def for_dashboard(request) -> Checkup:
    return run(context_for(request), [request.membership])


def for_account_security(request) -> Checkup:
    owned = memberships_of(request.user).filter(shop__owner=request.user)[:MAX_SHOPS]
    return run(context_for(request), list(owned))
