"""What the security pages share: how a refused code shows on a form."""

from django.shortcuts import render

from security.two_step import errors


def code_refused(error: errors.TwoStepError, form) -> tuple[int, int | None]:
    """Put a refused code's message on the form; returns (status, Retry-After seconds or None)."""
    if isinstance(error, errors.Throttled):
        form.add_error(None, error.message)
        return error.status, error.wait
    form.add_error("code", error.message)
    return 400, None


def render_with_wait(request, template, context, *, status=200, wait=None):
    response = render(request, template, context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response
