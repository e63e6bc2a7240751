"""Where to send someone after a step: only back into this site, only to a path."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str = "") -> str:
    """The ?next= (or POSTed next) target when it is a path on this site, else the default.

    Only absolute paths count ("/shop/x/"): a bare word such as "foo" would be taken by redirect()
    for a view name and fail after the step it follows had already changed state.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return default
