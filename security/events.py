"""The security log's one writer. Services call record_event() inside their transaction."""

from dataclasses import dataclass

from django.conf import settings

from security.models import EventKind, SecurityEvent

__all__ = ["EventKind", "RequestContext", "record_event"]


@dataclass(frozen=True)
class RequestContext:
    """Where an action came from; services take it explicitly so tasks and admin can pass one too."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> "RequestContext":
        return cls(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


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
    """Append one row to the security log."""
    context = context or RequestContext()
    return SecurityEvent.objects.create(
        user=user,
        shop=shop,
        kind=kind,
        ip=context.ip,
        user_agent=context.user_agent,
        details=details,
    )
