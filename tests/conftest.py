import os
import re
import shutil

import pytest

from tests.factories import STRONG_PASSWORD, MembershipFactory, ShopFactory, UserFactory

# pytest-django's live_server runs in the test's thread while Playwright's sync API holds an event
# loop there; Django would otherwise refuse its ORM calls as async-unsafe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# Tests that need a real service say so with a marker. Without the service they skip, except in CI,
# where .ci/run sets REQUIRE_POSTGRES / REQUIRE_REDIS and a skip would hide a broken promise: there
# they fail. Each such test also carries a "requires" property into the JUnit report, so .ci/run can
# check that none of them skipped.
SERVICE_MARKERS = {
    "postgres": ("REQUIRE_POSTGRES", "DATABASE_URL names no PostgreSQL database"),
    "redis": ("REQUIRE_REDIS", "REDIS_URL is not set"),
}


def _required(variable: str) -> bool:
    return os.environ.get(variable, "").lower() not in ("", "0", "false", "no")


def _service_missing(marker: str) -> bool:
    if marker == "postgres":
        from django.conf import settings

        return not settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    return not os.environ.get("REDIS_URL")


def pytest_runtest_setup(item):
    for marker in ("browser", "integration", *SERVICE_MARKERS):
        if item.get_closest_marker(marker):
            item.user_properties.append(("requires", marker))
    for marker, (variable, reason) in SERVICE_MARKERS.items():
        if item.get_closest_marker(marker) and _service_missing(marker):
            if _required(variable):
                pytest.fail(f"{reason}, and {variable} says this test may not skip.")
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_hasher_and_local_mail(settings, tmp_path):
    """Argon2 costs ~90 ms a hash: tests that measure or check it ask for `argon2` explicitly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Tasks run in the test's process even when REDIS_URL names a broker, so mail.outbox sees them;
    tests/integration/ switches this off and starts a real worker."""
    from sellercenter.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]


@pytest.fixture
def password():
    return STRONG_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(email="seller@example.com")


@pytest.fixture
def shop(db):
    return ShopFactory(name="Demo Shop", slug="demo-shop")


@pytest.fixture
def owner(shop):
    return shop.owner


@pytest.fixture
def other_shop(db):
    return ShopFactory(name="Other Shop", slug="other-shop")


@pytest.fixture
def member_with(shop):
    """member_with("finance_specialist") → a user who holds these roles in `shop`."""

    def make(*roles):
        return MembershipFactory(shop=shop, roles=list(roles)).user

    return make


@pytest.fixture
def signed_in(client, password):
    """signed_in(user) → the test client, signed in through the real login page."""

    def sign_in(user, *, client=client):
        response = client.post("/login/", {"email": user.email, "password": password})
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if shutil.which(CHROMIUM) is None and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"Chromium is required (REQUIRE_BROWSER) but {CHROMIUM} is missing.")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# TWO_STEP: named starting points for two-step verification.


def totp_code(user, steps: int = 0) -> str:
    """The code the user's authenticator app shows now (or `steps` times 30 s from now), via pyotp."""
    import time

    import pyotp

    from security.two_step import devices

    device = devices.totp_device(user) or devices.totp_device(user, confirmed=False)
    return pyotp.TOTP(devices.base32_secret(device)).at(time.time() + 30 * steps)


def add_totp(user):
    """Give the user a confirmed authenticator app and ten recovery codes (on `.recovery_codes`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from security.two_step import devices

    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    user.recovery_codes = devices.issue_recovery_codes(user)
    return user


@pytest.fixture
def user_with_totp(user):
    """A user with a confirmed authenticator app; their ten recovery codes are on `.recovery_codes`."""
    return add_totp(user)


@pytest.fixture
def owner_with_totp(owner):
    return add_totp(owner)


@pytest.fixture
def half_signed_in(client, password):
    """half_signed_in(user) → a client whose session passed the password but not the second step."""

    def sign_in(user, *, client=client):
        response = client.post("/login/", {"email": user.email, "password": password})
        assert response.status_code == 302 and response["Location"].startswith("/login/verify/")
        return client

    return sign_in


@pytest.fixture
def fully_signed_in(half_signed_in):
    """fully_signed_in(user) → a client past the password and a fresh authenticator code."""

    def sign_in(user, *, client=None):
        client = half_signed_in(user, **({"client": client} if client else {}))
        response = client.post("/login/verify/", {"code": totp_code(user)})
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in


@pytest.fixture
def shop_requiring_2sv(shop):
    shop.require_two_step = True
    shop.save(update_fields=["require_two_step"])
    return shop


@pytest.fixture
def staff_user(db):
    """A superuser support agent with an authenticator app, as the admin requires."""
    return add_totp(UserFactory(email="root@support.example", is_staff=True, is_superuser=True))


# E-mailed links: {SITE_URL}/link/#<token>, opened as a browser does (the fragment stays local).

EMAIL_LINK = re.compile(r"https?://\S+?/link/#([\w-]+)")


def email_link_tokens(body: str) -> list[str]:
    """The tokens of the e-mailed links in a message body, in order."""
    return EMAIL_LINK.findall(body)


def open_email_link(client, token: str):
    """What a browser does with an e-mailed link: load /link/, then post the fragment's token.

    Returns the POST's response: a redirect to the link's token-free page, or the refusal page.
    """
    assert client.get("/link/").status_code == 200
    return client.post("/link/", {"token": token})
