"""The e-mail change's link is single use across web processes: two browsers that opened it confirm at the
same moment through two gunicorn workers, and the account moves once (row locks on the link and the
account, SPEC §6)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection

from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from security.email_change import request_email_change
from tests.conftest import email_link_tokens

pytestmark = pytest.mark.django_db(transaction=True)

NEW = "moved@example.org"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user, secret = urllib.parse.quote(db["USER"] or ""), urllib.parse.quote(db["PASSWORD"] or "")
    return f"postgres://{user}:{secret}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Browser:
    """A cookie jar and the form token of the last page it loaded."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.token = ""

    def send(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = None
        if form is not None:
            data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base})
        try:
            with self.opener.open(request, timeout=20) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        if match := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body):
            self.token = match.group(1)
        return status, body


@pytest.fixture
def two_workers():
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "sellercenter.wsgi"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/auth/csrf", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_two_browsers_confirming_at_once_move_the_account_once(
    two_workers, user_with_totp, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_email_change(user_with_totp, NEW, context=RequestContext(ip="192.0.2.1"))
    token = email_link_tokens(next(m for m in mailoutbox if m.to == [NEW]).body)[0]

    browsers = [Browser(two_workers) for _ in range(2)]
    for browser in browsers:
        browser.send("/link/")
        status, page = browser.send("/link/", {"token": token})
        assert status == 200 and "Confirm your new e-mail address" in page

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda b: b.send("/account/information/email/confirm/", {}), browsers))

    assert sorted(status for status, _ in answers) == [200, 410]
    user_with_totp.refresh_from_db()
    assert user_with_totp.email == NEW
    assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.EMAIL_CHANGED).count() == 1
