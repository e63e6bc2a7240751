"""Reset and freeze tokens never sit in a URL path the server sees (issue 15): every e-mailed link is
{SITE_URL}/link/#token, and no route takes a token, a signature or an encoded user id in its path."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SECRET_NAMES = re.compile(r"token|uid|sign|secret|key|code", re.IGNORECASE)


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []


def test_no_route_takes_a_secret_in_its_path():
    offending = [
        route
        for route, converters in routes()
        if any(SECRET_NAMES.search(name) for name in converters)
        or re.search(r"\(\?P<\w*(token|uid|sign|secret|key)\w*>", route, re.IGNORECASE)
    ]
    assert offending == []


@pytest.mark.django_db
def test_reset_and_freeze_emails_carry_links_with_the_token_after_the_hash(
    user, client, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from security.freeze import freeze_link_url

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": user.email})
    [reset] = [m for m in mail.outbox if "Reset your" in m.subject]
    link = rf"{re.escape(settings.SITE_URL)}/link/#[\w-]{{40,}}"
    assert re.search(link, reset.body)
    assert re.fullmatch(link, freeze_link_url(user, subject="check"))
    for url in re.findall(r"https?://\S+", reset.body):
        path = url.split("#")[0].removeprefix(settings.SITE_URL)
        assert len(path) < 30, url  # no token before the "#"
