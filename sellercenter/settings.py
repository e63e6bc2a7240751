"""Settings for Seller Center, read from environment variables with development defaults.

Every variable is listed in README.md. Without any of them the project runs on SQLite, runs Celery
tasks in-process and writes e-mail as files under var/mail/.
"""

import base64
import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# Core: debug, hosts and the secret key.
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _development_secret_key() -> str:
    """A key generated once per checkout into a git-ignored file; production must set SECRET_KEY."""
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()


def _development_totp_key() -> str:
    """Like SECRET_KEY: generated once per checkout into a git-ignored file; production sets it."""
    if not DEBUG:
        raise ImproperlyConfigured("TOTP_ENCRYPTION_KEY must be set when DEBUG is off.")
    key_file = VAR_DIR / "totp_encryption_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Authenticator (TOTP) secrets are encrypted in the database with this key, kept apart from it
# (security/two_step/secret_storage.py); older keys stay readable from the fallbacks while rotating.
TOTP_ENCRYPTION_KEY = env.str("TOTP_ENCRYPTION_KEY", default="") or _development_totp_key()
TOTP_ENCRYPTION_KEY_FALLBACKS = env.list("TOTP_ENCRYPTION_KEY_FALLBACKS", default=[])

# Applications.
INSTALLED_APPS = [
    "sellercenter.apps.SellerCenterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's apps, lowest layer first (README, "Architecture"; import-linter enforces it).
    "permissions",
    "audit",
    "notifications",
    "accounts",
    "security",
    "commerce",
    "team",
    "recovery",
    "sellercenter.apps.SellerCenterConfig",
]

# A request's path: sessions and users, django-otp's verification state, then the one account gate
# (security/middleware.py) that ends expired sessions and holds half-signed-in ones at the verify page.
# The CSP and X-Frame-Options come first, so that they wrap every answer: the HTTPS redirect, the
# gate's redirects and 401s, CSRF refusals and static files alike.
MIDDLEWARE = [
    "security.headers.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: picks the page's language from LANGUAGES (English only today).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After messages: the gate explains its redirects with a message.
    "security.middleware.AccountGateMiddleware",
    # Pages in the viewer's time zone (User.time_zone); the API stays in UTC.
    "accounts.middleware.TimeZoneMiddleware",
    # Last, so it sees a view's Http404 first: the product's 404 page even with DEBUG on.
    "sellercenter.errors.ProductNotFoundMiddleware",
]

ROOT_URLCONF = "sellercenter.urls"
WSGI_APPLICATION = "sellercenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.shop_menu",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL through DATABASE_URL.
DEFAULT_SQLITE_FILE = VAR_DIR / "db.sqlite3"


def _private_sqlite_file(path: Path) -> None:
    """Create the default database file readable by this account only (0600), before SQLite does with
    the umask: it holds password hashes and sessions. SQLite gives its -wal and -shm files the
    database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)


if not env.str("DATABASE_URL", default=""):
    _private_sqlite_file(DEFAULT_SQLITE_FILE)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DEFAULT_SQLITE_FILE}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a real server started by a test (gunicorn) can open the test
    # database; one per test process so that parallel runs in one checkout do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    # Write-ahead log without an fsync per commit: throttles write on every request they count,
    # and a synced commit costs SQLite several milliseconds.
    # Transactions take the write lock when they begin: two requests that read then write the same
    # row (a code check, a counter) wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", transaction_mode="IMMEDIATE"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and passwords: e-mail logins, Argon2id first.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "security:login"
LOGIN_REDIRECT_URL = "accounts:shops"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The rules of SPEC §4, one validator each (security/passwords/rules.py), cheapest first.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "security.passwords.rules.LengthValidator", "OPTIONS": {"min_length": 8, "max_length": 128}},
    {"NAME": "security.passwords.rules.CharacterMixValidator"},
    {"NAME": "security.passwords.rules.SequenceValidator"},
    {"NAME": "security.passwords.rules.BirthDateValidator"},
    {"NAME": "security.passwords.rules.CommonPasswordValidator"},
    {"NAME": "security.passwords.rules.UserAttributeSimilarityValidator"},
    {"NAME": "security.passwords.rules.ZxcvbnValidator", "OPTIONS": {"min_score": 3}},
    {"NAME": "security.passwords.rules.PasswordHistoryValidator", "OPTIONS": {"history_size": 5}},
]
# Per-IP rates of the password strength check (called as people type) and of reset requests.
PASSWORD_CHECK_RATE = env.str("PASSWORD_CHECK_RATE", default="120/min")
PASSWORD_RESET_REQUEST_RATE = env.str("PASSWORD_RESET_REQUEST_RATE", default="10/hour")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Sub-accounts (team/): sign-ups per client IP, invitations (with resends) and two-step reminders per
# shop, and new shops per person, so that nobody can use the product to send bulk mail.
SIGNUP_RATE = env.str("SIGNUP_RATE", default="10/hour")
TEAM_INVITATION_RATE = env.str("TEAM_INVITATION_RATE", default="30/hour")
TEAM_REMINDER_RATE = env.str("TEAM_REMINDER_RATE", default="20/hour")
SHOP_CREATION_RATE = env.str("SHOP_CREATION_RATE", default="5/day")

# Sessions: database-backed so every web process sees the same state; NIST SP 800-63B AAL2 bounds.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.float("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.float("SESSION_IDLE_MINUTES", default=30))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
# A failed CSRF check explains itself in the product's layout (sellercenter/errors.py).
CSRF_FAILURE_VIEW = "sellercenter.errors.csrf_failure"
# How often a session's last-seen time is written: a write per request would cost every page a query.
SESSION_TOUCH_INTERVAL = timedelta(seconds=60)

# Login protection (SPEC §7): the lockout, the recorded sessions and the new-sign-in alert. It must
# stay on in production; LOGIN_PROTECTION=false exists only as the baseline of the login benchmark.
LOGIN_PROTECTION = env.bool("LOGIN_PROTECTION", default=True)
if not LOGIN_PROTECTION and not DEBUG and not env.bool("BENCHMARK_BASELINE", default=False):
    raise ImproperlyConfigured("LOGIN_PROTECTION=false is only for the benchmark's baseline.")
LOGIN_FAILURE_LIMIT_ACCOUNT = 5
LOGIN_FAILURE_LIMIT_IP = 20
# A browser that completed a full sign-in on the account before has a budget of its own.
LOGIN_FAILURE_LIMIT_KNOWN_DEVICE = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
# While an account is being guessed its holder is e-mailed at most this often.
LOGIN_GUESSING_EMAIL_INTERVAL = timedelta(hours=1)
# A sign-in from an IP or device not seen for the user in this long sends an alert e-mail.
NEW_SIGN_IN_LOOKBACK = timedelta(days=30)
# The alert's "This wasn't me" link stays valid this long.
FREEZE_LINK_MAX_AGE = timedelta(days=7)
# The signed cookie that tells a browser which completed full sign-ins before (security/account_history.py).
KNOWN_DEVICE_COOKIE = "sc_device"

# Two-step verification (django-otp).
OTP_TOTP_ISSUER = "Seller Center"
# One 30 s step of drift either way, never more: django-otp's drift learning would widen the window.
OTP_TOTP_SYNC = False
OTP_EMAIL_TOKEN_VALIDITY = 10 * 60
# django-otp's throttle counts per second-step device, whoever types; ours counts per account and per
# known browser instead, at the same growing rate (security/two_step/codes.py).
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = OTP_EMAIL_THROTTLE_FACTOR = 0
STEP_UP_MAX_AGE = timedelta(minutes=10)
# Changing two-step settings needs a sign-in or the current password within this long (SPEC §6).
REAUTHENTICATION_MAX_AGE = timedelta(minutes=5)
# After a password reset or an e-mail address change, e-mail codes cannot complete a sign-in this long.
EMAIL_CODE_REFUSAL_PERIOD = timedelta(days=7)

# The money path (SPEC §6a). Fernet keys that seal payout account numbers at rest, newest first (the
# first seals, every one opens, so keys can rotate); unset, a key derived from SECRET_KEY is used.
PAYOUT_DATA_KEYS = env.list("PAYOUT_DATA_KEYS", default=[])

# HTTP security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# TLS: outside DEBUG the site redirects plain HTTP to HTTPS itself, unless TLS ends at a proxy in front
# (BEHIND_TLS_PROXY): that proxy redirects, and its X-Forwarded-Proto tells which requests came over TLS.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = not DEBUG and not BEHIND_TLS_PROXY

# Client IP: how many trusted proxies put their address in X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Static files and private uploads.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))

# E-mail: files under var/mail/ by default so a first-run user can open the links; the folder and its
# files are private to this account (0700 / 0600, sellercenter/mail.py).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="sellercenter.mail.PrivateFileEmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Seller Center <no-reply@sellercenter.example>")
# Absolute links in e-mails (invitations, alerts, recovery). By default the address `make run` and
# `make serve` listen on (HOST and PORT, which the Makefile passes on), so links work on any port.
_SERVE_HOST = env.str("HOST", default="127.0.0.1")
# A server listening on every interface is opened in a browser through the loopback address.
_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}  # noqa: S104 (a mapping, not a bind)
_LINK_HOST = _WILDCARD_HOSTS.get(_SERVE_HOST) or (f"[{_SERVE_HOST}]" if ":" in _SERVE_HOST else _SERVE_HOST)
SITE_URL = env.str("SITE_URL", default=f"http://{_LINK_HOST}:{env.int('PORT', default=8000)}").rstrip("/")

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process at once.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Nothing reads task results. Storing them costs a Redis write per task and, with Redis down, makes
# every .delay() wait about 20 s on the result store's reconnection before it fails.
CELERY_TASK_IGNORE_RESULT = True
# Recovery's e-mails and approvals that the broker could not take when they happened are picked up
# by beat this often (seconds), once they are this old.
RECOVERY_SWEEP_SECONDS = env.int("RECOVERY_SWEEP_SECONDS", default=60)
# A task taken by a worker that dies before acknowledging it goes back to the queue after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# Periodic tasks (`make beat`; README, "Worker and beat").
CELERY_BEAT_SCHEDULE = {
    # The money path: the payout run pays out withdrawals once no hold or freeze applies.
    "commerce-pay-out-withdrawals": {"task": "commerce.tasks.pay_out_withdrawals", "schedule": 60.0},
    "commerce-advance-campaigns": {"task": "commerce.tasks.advance_campaigns", "schedule": 60.0 * 60},
    # Recovery (recovery/tasks.py): mail and approvals the broker could not take at the time, staff
    # reminders, cases left without documents, and documents kept no longer than needed.
    "recovery-send-pending-notices": {
        "task": "recovery.tasks.send_pending_notices",
        "schedule": timedelta(seconds=RECOVERY_SWEEP_SECONDS),
    },
    "recovery-resume-approvals": {
        "task": "recovery.tasks.resume_approvals",
        "schedule": timedelta(seconds=RECOVERY_SWEEP_SECONDS),
    },
    "recovery-remind-staff": {"task": "recovery.tasks.remind_staff", "schedule": timedelta(hours=1)},
    "recovery-close-abandoned-cases": {
        "task": "recovery.tasks.close_abandoned_cases",
        "schedule": timedelta(hours=1),
    },
    "recovery-purge-documents": {"task": "recovery.tasks.purge_documents", "schedule": timedelta(days=1)},
}

# Recovery of a compromised account (SPEC §8).
# Approving a case takes two different support agents when the available balances of the shops the
# account owns, added up per currency, come to more than this in any currency.
RECOVERY_FOUR_EYES_BALANCE = Decimal(env.str("RECOVERY_FOUR_EYES_BALANCE", default="10000.00"))
# Per-IP rate of recovery requests and of new links asked for on the status page.
RECOVERY_REQUEST_RATE = env.str("RECOVERY_REQUEST_RATE", default="5/hour")

# REST framework and the OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["sellercenter.api.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    # JSON bodies nested deeper than a few levels are a 400, never a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "sellercenter.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "sellercenter.api.errors.exception_handler",
    # drf-spectacular's, plus each operation's error answers (sellercenter/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "sellercenter.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Seller Center API",
    "DESCRIPTION": "Session-cookie API for integrators. Unsafe methods need the X-CSRFToken header.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: no CDN, and no inline script under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several serializers have a "status" field with its own choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "MembershipStatusEnum": ["active", "suspended"],
        "InvitationStatusEnum": ["pending", "accepted", "revoked", "expired"],
        "InvitationAcceptedStatusEnum": ["accepted"],
    },
}
# Each module's states get an enum of their own in the schema.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {
    f"{name}Enum": f"commerce.models.{name}"
    for name in (
        "ProductStatus",
        "OrderStatus",
        "BillStatus",
        "PayoutAccountStatus",
        "WithdrawalStatus",
        "CampaignStatus",
        "PlanStatus",
        "CreatorStatus",
        "ConversationStatus",
    )
}

# Internationalisation. Templates and Python strings are marked for translation; `manage.py
# makemessages -l <code>` writes catalogs to locale/. Only languages with a catalog belong in
# LANGUAGES, or Django's own strings would appear translated around untranslated pages.
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
