"""Single-use e-mailed links under real concurrency: four browsers posting the same link at once,
each request on its own PostgreSQL connection, get exactly one success (issue 15)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from audit.models import EventKind, SecurityEvent
from notifications import links
from security.freeze import freeze_link_url
from security.passwords.changes import RESET_PURPOSE
from tests.conftest import email_link_tokens, open_email_link

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BROWSERS = 4


def at_once(browsers, post) -> list:
    """Every browser sends its request at the same moment, from its own thread and connection."""
    barrier = threading.Barrier(len(browsers))
    answers = [None] * len(browsers)

    def run(index):
        try:
            barrier.wait(timeout=10)
            answers[index] = post(index, browsers[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_four_browsers_posting_one_reset_link_at_once_get_one_success(user):
    issued = links.issue(
        RESET_PURPOSE,
        landing="security:password-reset-confirm",
        lifetime=timedelta(hours=1),
        user=user,
        subject=f"user:{user.pk}",
    )
    browsers = [Client() for _ in range(BROWSERS)]
    for browser in browsers:
        assert open_email_link(browser, issued.token).status_code == 302

    def post(index, browser):
        password = f"Tulip#harbour{index}q"
        response = browser.post(
            "/password-reset/new-password/", {"new_password": password, "new_password_again": password}
        )
        return response.status_code, password

    answers = at_once(browsers, post)
    assert sorted(status for status, _ in answers) == [302] + [410] * (BROWSERS - 1)
    [winner] = [password for status, password in answers if status == 302]
    user.refresh_from_db()
    assert user.check_password(winner)
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.PASSWORD_RESET).count() == 1


def test_four_browsers_posting_one_freeze_link_at_once_freeze_once(user):
    token = email_link_tokens(freeze_link_url(user, subject="alert:race"))[0]
    browsers = [Client() for _ in range(BROWSERS)]
    for browser in browsers:
        assert open_email_link(browser, token).status_code == 302

    answers = at_once(browsers, lambda index, browser: browser.post("/account/freeze/").status_code)
    assert sorted(answers) == [200] + [410] * (BROWSERS - 1)
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.ACCOUNT_FROZEN).count() == 1
