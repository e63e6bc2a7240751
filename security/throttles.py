"""Request rates per client, counted in the database, so every web process agrees."""

import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from audit.events import client_ip
from security.models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Parse "120/min" into (120, 60): the requests allowed, and the window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0]]


class WindowThrottle(BaseThrottle):
    """At most N requests per key in each fixed window; works for DRF views and plain Django views.

    One statement counts a request and answers whether it is allowed: an upsert that adds one only
    while the count is under the limit. DRF's SimpleRateThrottle keeps a list of timestamps in a
    cache and rewrites it on every request; this row stays one integer whatever the rate.
    """

    scope = ""
    rate = ""
    # The name of a setting that holds the rate, when it may change per deployment.
    rate_setting = ""

    def __init__(self):
        self.num_requests, self.period = parse_rate(
            getattr(settings, self.rate_setting) if self.rate_setting else self.rate
        )
        self.retry_after = 0.0

    def ident(self, request) -> str:
        return client_ip(request) or "unknown"

    def allow_request(self, request, view=None) -> bool:
        now = timezone.now().timestamp()
        window = int(now // self.period)
        window_end = (window + 1) * self.period
        self.retry_after = window_end - now
        key = f"{self.scope}:{self.ident(request)}:{window}"[:200]
        expires = datetime.fromtimestamp(window_end, tz=UTC)
        count = _count_request(key, expires, self.num_requests)
        if count == 1:
            # The first request of a window clears the windows that ended: the table stays small
            # without a periodic job.
            RateCounter.objects.filter(expires__lt=timezone.now() - timedelta(seconds=1)).delete()
        return count is not None

    def wait(self) -> int:
        return max(1, math.ceil(self.retry_after))


def _count_request(key: str, expires: datetime, limit: int) -> int | None:
    """Count one request under `key`; its new count, or None when the limit was already reached."""
    quote = connection.ops.quote_name
    table, key_column, count_column, expires_column = (
        quote(RateCounter._meta.db_table),
        quote("key"),
        quote("count"),
        quote("expires"),
    )
    with connection.cursor() as cursor:
        # PostgreSQL and SQLite (3.35+) both take this upsert; a refused request changes nothing.
        # Only quoted names from the model are formatted in; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count_column}, {expires_column}) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"WHERE {table}.{count_column} < %s RETURNING {count_column}",
            [key, connection.ops.adapt_datetimefield_value(expires), limit],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class PasswordCheckThrottle(WindowThrottle):
    scope = "password_check"
    rate_setting = "PASSWORD_CHECK_RATE"


class PasswordResetRequestThrottle(WindowThrottle):
    scope = "password_reset_request"
    rate_setting = "PASSWORD_RESET_REQUEST_RATE"


class PasswordChangeThrottle(WindowThrottle):
    """Bounds guesses at the current password from a session that is not its owner's."""

    scope = "password_change"
    rate = "10/hour"

    def ident(self, request) -> str:
        return f"user-{request.user.pk}"


class PasswordReuseCheckThrottle(WindowThrottle):
    """How often the live check may compare a guess with this account's own passwords."""

    scope = "password_reuse_check"
    rate = "10/hour"

    def __init__(self, user):
        super().__init__()
        self.user = user

    def ident(self, request) -> str:
        return f"user-{self.user.pk}"


class EmailChangeThrottle(WindowThrottle):
    """How often one account may ask to move to a new e-mail address: each request mails two
    addresses, one of them typed by the caller."""

    scope = "email_change"
    rate = "5/hour"

    def ident(self, request) -> str:
        return f"user-{request.user.pk}"
