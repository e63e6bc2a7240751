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
        if os.environ.get("REQUIRE_BROWSER"):
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
