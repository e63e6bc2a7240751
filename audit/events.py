"""The security log's one writer. Services call record_event() inside their transaction."""

from dataclasses import dataclass

from django.conf import settings

from audit.models import EventKind, SecurityEvent

__all__ = ["EventKind", "RequestContext", "client_ip", "record_event"]


@dataclass(frozen=True)
class RequestContext:
    """Where an action came from; services take it explicitly so tasks and admin can pass one too.

    `device_id` is the browser's known-device identifier when it sent one (security.known_devices
    reads the signed cookie and puts it on the request before any view runs).
    """

    ip: str | None = None
    user_agent: str = ""
    device_id: str | None = None

    @classmethod
    def from_request(cls, request) -> "RequestContext":
        return cls(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            device_id=getattr(request, "known_device_id", None),
        )


def client_ip(request) -> str | None:
    """The caller's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    user, kind: EventKind, *, shop=None, context: RequestContext | None = None, **details
) -> SecurityEvent:
    """Append one row to the security log; ValueError for a kind EventKind does not name."""
    kind = EventKind(kind)
    context = context or RequestContext()
    return SecurityEvent.objects.create(
        user=user,
        user_email=getattr(user, "email", "") or "",
        shop=shop,
        kind=kind,
        ip=context.ip,
        user_agent=context.user_agent,
        details=details,
    )
