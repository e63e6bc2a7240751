"""The one place that answers "what changed on this account lately, and from where does it sign in".

- last_changes(): when the password was last changed, and last reset by e-mail; when the e-mail
  address and the two-step settings last changed. Read from the security log, which records each.
- first_seen() / origins(): when this browser (its known-device cookie) and this network (the client
  IP's /24, or /48 for IPv6) first and last completed a full sign-in on the account.

The money path's hold (SPEC §6a), the lockout's budget for known devices, the rules on e-mail codes
and the security check-up all read these answers.

The known-device cookie is a random identifier, signed, set at each full sign-in and shared by the
accounts signed in from that browser; the database keeps a keyed hash of it per account.
"""

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.events import EventKind, RequestContext
from audit.models import SecurityEvent
from security.models import KnownOrigin

DEVICE_COOKIE_SALT = "security.known-device"
# Four hundred days: the longest lifetime browsers accept for a cookie.
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 60 * 60

PASSWORD_CHANGE_KINDS = (EventKind.PASSWORD_CHANGED,)
# A recovery that took the password away is a reset too: the new one was set through an e-mailed link.
PASSWORD_RESET_KINDS = (EventKind.PASSWORD_RESET, EventKind.PASSWORD_DISABLED)
EMAIL_CHANGE_KINDS = (EventKind.EMAIL_CHANGED,)
TWO_STEP_CHANGE_KINDS = (
    EventKind.TWO_STEP_ENABLED,
    EventKind.TWO_STEP_DISABLED,
    EventKind.TWO_STEP_RESET,
    EventKind.TWO_STEP_METHOD_PREFERRED,
    EventKind.RECOVERY_CODES_REGENERATED,
)


# What changed lately.


@dataclass(frozen=True)
class LastChanges:
    """When each of these last happened on the account (None: never, as far as the log goes)."""

    password_changed: datetime | None
    password_reset: datetime | None
    email_changed: datetime | None
    two_step_changed: datetime | None

    def any_since(self, since: datetime) -> bool:
        """True when the password, e-mail address or two-step settings changed after `since`."""
        return any(when is not None and when >= since for when in self.__dict__.values())


def last_changes(user) -> LastChanges:
    """One query over the user's security log."""
    groups = {
        "password_changed": PASSWORD_CHANGE_KINDS,
        "password_reset": PASSWORD_RESET_KINDS,
        "email_changed": EMAIL_CHANGE_KINDS,
        "two_step_changed": TWO_STEP_CHANGE_KINDS,
    }
    every_kind = [kind for kinds in groups.values() for kind in kinds]
    found = SecurityEvent.objects.filter(user=user, kind__in=every_kind).aggregate(
        **{name: Max("created", filter=Q(kind__in=kinds)) for name, kinds in groups.items()}
    )
    return LastChanges(**found)


# Where it signs in from.


def network_of(ip: str | None) -> str | None:
    """The network an address belongs to for "first seen": its IPv4 /24 or IPv6 /48."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _device_hash(device_id: str) -> str:
    return salted_hmac("security.known-device-row", device_id, algorithm="sha256").hexdigest()


def device_id_from(request) -> str | None:
    """The browser's known-device identifier when its signed cookie is intact, else None."""
    return request.get_signed_cookie(settings.KNOWN_DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT)


def set_device_cookie(response, device_id: str) -> None:
    response.set_signed_cookie(
        settings.KNOWN_DEVICE_COOKIE,
        device_id,
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@dataclass(frozen=True)
class Origins:
    """What the account knows of this browser and this network (None: never seen on it)."""

    device_first_seen: datetime | None
    device_last_seen: datetime | None
    network_first_seen: datetime | None
    network_last_seen: datetime | None
    signed_in_before: bool

    @property
    def device_seen(self) -> bool:
        return self.device_first_seen is not None


def _seen(user, kind: str, key: str | None) -> tuple[datetime, datetime] | None:
    """(first seen, last seen) of this browser or network on the account, or None."""
    if not key:
        return None
    return (
        KnownOrigin.objects.filter(user=user, kind=kind, key=key)
        .values_list("first_seen", "last_seen")
        .first()
    )


def origins(user, context: RequestContext) -> Origins:
    """This browser's and this network's history on the account, in at most three small queries."""
    device = _seen(user, KnownOrigin.Kind.DEVICE, context.device_id and _device_hash(context.device_id))
    network = _seen(user, KnownOrigin.Kind.NETWORK, network_of(context.ip))
    before = bool(device or network) or KnownOrigin.objects.filter(user=user).exists()
    return Origins(
        device_first_seen=device[0] if device else None,
        device_last_seen=device[1] if device else None,
        network_first_seen=network[0] if network else None,
        network_last_seen=network[1] if network else None,
        signed_in_before=before,
    )


def known_device_key(user, device_id: str | None) -> str:
    """The keyed hash of this browser when it completed a full sign-in on the account before (the
    lockout's and the code throttle's own budget for it), else "". `user` may be None: the query
    runs all the same, so an unknown address costs what a known one does."""
    if not device_id:
        return ""
    key = _device_hash(device_id)
    seen = KnownOrigin.objects.filter(
        user_id=getattr(user, "pk", None),
        kind=KnownOrigin.Kind.DEVICE,
        key=key,
        first_seen__lt=timezone.now(),
    ).exists()
    return key if seen else ""


def device_first_seen(user, device_id: str | None) -> datetime | None:
    """When this browser first completed a full sign-in on the account, or None."""
    seen = _seen(user, KnownOrigin.Kind.DEVICE, device_id and _device_hash(device_id))
    return seen[0] if seen else None


def remember_sign_in(request, user, context: RequestContext) -> str:
    """Record a completed sign-in from this browser and network; returns the browser's identifier.

    A browser without the cookie gets a new identifier, which the account gate writes into the
    response (security.middleware).
    """
    now = timezone.now()
    device_id = context.device_id
    if not device_id:
        device_id = secrets.token_urlsafe(24)
        request.known_device_id = device_id
        request.new_known_device = True
    seen = [KnownOrigin(user=user, kind=KnownOrigin.Kind.DEVICE, key=_device_hash(device_id))]
    if network := network_of(context.ip):
        seen.append(KnownOrigin(user=user, kind=KnownOrigin.Kind.NETWORK, key=network))
    for origin in seen:
        origin.first_seen = origin.last_seen = now
    KnownOrigin.objects.bulk_create(
        seen, update_conflicts=True, unique_fields=["user", "kind", "key"], update_fields=["last_seen"]
    )
    return device_id
