import os
import shutil

import pytest

from tests.factories import STRONG_PASSWORD, MembershipFactory, ShopFactory, UserFactory

# pytest-django's live_server runs in the test's thread while Playwright's sync API holds an event
# loop there; Django would otherwise refuse its ORM calls as async-unsafe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


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

    from security import two_step

    device = two_step.totp_device(user) or two_step.totp_device(user, confirmed=False)
    return pyotp.TOTP(two_step.base32_secret(device)).at(time.time() + 30 * steps)


def add_totp(user):
    """Give the user a confirmed authenticator app and ten recovery codes (on `.recovery_codes`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from security import two_step

    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    user.recovery_codes = two_step.issue_recovery_codes(user)
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
