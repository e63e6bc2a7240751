"""Request rates per client, counted in the shared cache (the database), so every web process agrees."""

import math

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from security.events import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Parse "120/min" into (120, 60): the requests allowed, and the window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0]]


class WindowThrottle(BaseThrottle):
    """At most N requests per key in each fixed window; works for DRF views and plain Django views.

    DRF's SimpleRateThrottle stores every request's timestamp and rewrites the list each time; here
    the cache entry stays one integer whatever the rate, so a generous rate costs no more than a
    strict one, and a refused request writes nothing.
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
        key = f"throttle:{self.scope}:{self.ident(request)}:{window}"
        count = (cache.get(key) or 0) + 1
        self.retry_after = (window + 1) * self.period - now
        if count > self.num_requests:
            return False
        cache.set(key, count, self.period + 1)
        return True

    def wait(self) -> int:
        return max(1, math.ceil(self.retry_after))


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
