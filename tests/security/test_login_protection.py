import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from security.models import LoginFailure, LoginLockout

pytestmark = pytest.mark.django_db

WRONG = "wrong-Password-9!"


def api_login(client, email, password, **extra):
    return client.post(
        "/api/v1/auth/login", {"email": email, "password": password}, content_type="application/json", **extra
    )


def page_login(client, email, password, **extra):
    return client.post("/login/", {"email": email, "password": password}, **extra)


def fail(client, email, times, **extra):
    for _ in range(times):
        response = page_login(client, email, WRONG, **extra)
        assert response.status_code == 400


def test_sixth_attempt_on_an_account_is_refused_with_retry_after_even_with_the_right_password(
    client, owner, password
):
    fail(client, owner.email, 5)
    page = page_login(client, owner.email, password)
    assert page.status_code == 429
    assert 0 < int(page["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins" in page.content.decode()
    api = api_login(client, owner.email, password)
    assert api.status_code == 429
    assert api.json()["code"] == "throttled"
    assert api.json()["detail"]
    assert int(api["Retry-After"]) > 0
    # The lock's start is logged once; the two refused attempts are only counted.
    assert SecurityEvent.objects.filter(user=owner, kind=EventKind.LOGIN_LOCKED).count() == 1
    assert LoginLockout.objects.get(user=owner).refused == 2


def test_unknown_and_known_emails_get_the_same_answers_before_and_after_the_lockout(client, owner):
    statuses = []
    for _ in range(6):
        known = api_login(client, owner.email, WRONG)
        unknown = api_login(client, "nobody@example.com", WRONG)
        assert known.status_code == unknown.status_code
        assert known.json() == unknown.json()
        statuses.append(known.status_code)
    assert statuses == [400] * 5 + [429]
    known_page = page_login(client, owner.email, WRONG)
    unknown_page = page_login(client, "nobody@example.com", WRONG)
    assert known_page.status_code == unknown_page.status_code == 429
    assert known_page.has_header("Retry-After") and unknown_page.has_header("Retry-After")
    assert "Too many failed sign-ins" in unknown_page.content.decode()


def test_a_success_resets_the_account_count(client, owner, password):
    fail(client, owner.email, 4)
    assert page_login(client, owner.email, password).status_code == 302
    client.post("/logout/")
    fail(client, owner.email, 4)
    assert page_login(client, owner.email, password).status_code == 302


def test_twenty_failures_from_one_ip_lock_that_ip_for_every_account(client, owner, password):
    for n in range(20):
        page_login(client, f"guess{n}@example.com", WRONG)
    assert page_login(client, owner.email, password).status_code == 429
    elsewhere = page_login(client, owner.email, password, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_the_lockout_lifts_after_fifteen_minutes(client, owner, password):
    fail(client, owner.email, 5)
    retry_after = int(page_login(client, owner.email, password)["Retry-After"])
    with time_machine.travel(timezone.now() + timedelta(seconds=retry_after + 1)):
        assert page_login(client, owner.email, password).status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, owner, password):
    start = timezone.now()
    for minute in range(0, 25, 5):
        with time_machine.travel(start + timedelta(minutes=minute)):
            fail(client, owner.email, 1)
    with time_machine.travel(start + timedelta(minutes=21)):
        assert page_login(client, owner.email, password).status_code == 302


def test_turning_login_protection_off_disables_the_lockout(client, owner, password, settings):
    settings.LOGIN_PROTECTION = False
    fail(client, owner.email, 6)
    assert page_login(client, owner.email, password).status_code == 302
    assert not LoginFailure.objects.exists()


def test_unknown_emails_do_the_same_password_work_as_wrong_passwords(client, owner, argon2, monkeypatch):
    """An unknown address must not answer faster than a wrong password (SPEC §7, ASVS 2.2.1): both
    run exactly one Argon2 computation. Counted, not timed; `make bench` measures the time."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    owner.set_password("aR@1nY6#y")
    owner.save()
    computed = []
    for name in ("encode", "verify"):
        original = getattr(Argon2PasswordHasher, name)

        def counting(self, *args, _original=original, _name=name, **kwargs):
            computed.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Argon2PasswordHasher, name, counting)

    def argon2_runs(email):
        computed.clear()
        response = api_login(client, email, WRONG, REMOTE_ADDR=f"198.51.100.{len(email) % 200}")
        assert response.status_code == 400, response.content
        return len(computed)

    assert argon2_runs(owner.email) == 1
    assert argon2_runs("nobody@example.com") == 1
    assert argon2_runs("NOBODY@Example.com ") == 1


# A real server with two worker processes: the count must hold whichever worker takes a request.


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


def _attempt(base: str, email: str, password: str, *, api: bool) -> int:
    """One sign-in attempt over fresh connections: fetch a CSRF token, then post."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/api/v1/auth/csrf", timeout=10) as response:
        token = json.load(response)["csrf_token"]
    if api:
        request = urllib.request.Request(
            f"{base}/api/v1/auth/login",
            data=json.dumps({"email": email, "password": password}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": token, "Referer": base},
        )
    else:
        body = urllib.parse.urlencode({"email": email, "password": password, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(f"{base}/login/", data=body.encode(), headers={"Referer": base})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_sixth_attempt_is_refused_across_two_gunicorn_workers(owner, password, argon2):
    owner.set_password(password)
    owner.save()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "LOGIN_PROTECTION": "true",
        "CONN_MAX_AGE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(root), "sellercenter.wsgi"],
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
        # One failure, then a burst of simultaneous wrong attempts, pages and API mixed, then one at a
        # time until refused: however they are spread over the workers, five reach the password check.
        first = _attempt(base, owner.email, WRONG, api=False)
        with ThreadPoolExecutor(max_workers=8) as pool:
            burst = list(pool.map(lambda n: _attempt(base, owner.email, WRONG, api=n % 2 == 0), range(8)))
        assert set(burst) <= {400, 429}
        statuses = [first, *burst]
        while statuses[-1] != 429 and len(statuses) < 20:
            statuses.append(_attempt(base, owner.email, WRONG, api=len(statuses) % 2 == 0))
        assert statuses.count(400) == 5
        # The right password now: refused all the same, by whichever worker answers.
        assert _attempt(base, owner.email, password, api=False) == 429
        assert _attempt(base, owner.email, password, api=True) == 429
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert LoginFailure.objects.filter(account=owner.email).count() == 5
