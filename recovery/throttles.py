"""Per-IP rates of the recovery entry points nobody needs to sign in for (security/throttles.py)."""

from security.throttles import WindowThrottle


class RecoveryRequestThrottle(WindowThrottle):
    """Requests on /recover/ and new links asked for on the status page: RECOVERY_REQUEST_RATE."""

    scope = "recovery_request"
    rate_setting = "RECOVERY_REQUEST_RATE"


class RecoveryLinkThrottle(WindowThrottle):
    """Uploads and status checks with an e-mailed token: generous for a person, tight for a script."""

    scope = "recovery_link"
    rate = "60/hour"
