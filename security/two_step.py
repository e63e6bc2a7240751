"""Two-step verification at sign-in, built on django-otp's devices, throttling and replay guard."""

from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import sessions
from security.events import EventKind, RequestContext, record_event


def available_methods(user) -> list[str]:
    """The second-step methods this user can use now, in the API's names."""
    methods = []
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            methods.append("totp")
        elif isinstance(device, StaticDevice):
            methods.append("recovery_code")
    return sorted(set(methods))


def verify_second_step(request, code: str, context: RequestContext) -> bool:
    """Check a code against the user's confirmed devices; on success finish the sign-in."""
    user = request.user
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            complete_sign_in(request, device, context)
            return True
    record_event(user, EventKind.TWO_STEP_FAILURE, context=context)
    return False


def complete_sign_in(request, device, context: RequestContext) -> None:
    """Mark the session verified and rotate its key again: the pre-2SV key must not carry over."""
    old_key = request.session.session_key
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(sessions.TWO_STEP_PENDING, None)
    sessions.rekey(old_key, request.session.session_key)
    record_event(request.user, EventKind.TWO_STEP_SUCCESS, context=context, method=device.persistent_id)
