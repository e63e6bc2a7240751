"""The product's own settings for `make bench`, on a throwaway database, with bench-only baseline URLs.

bench/run.py sets BENCH_DATABASE_URL and one SECRET_KEY for every process it starts, so that the
gunicorn workers and the measuring process share sessions and data.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-outside-make-bench")

from sellercenter.settings import *  # noqa: F403
from sellercenter.settings import BASE_DIR, TEMPLATES, env
from sellercenter.settings import DATABASES as PRODUCT_DATABASES

BENCH_DIR = BASE_DIR / "var" / "bench"

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Served over loopback HTTP, as behind a TLS proxy: no redirect to HTTPS.
SECURE_SSL_REDIRECT = False

DATABASES = {
    "default": env.db("BENCH_DATABASE_URL", default=f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = 60
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Two gunicorn workers write sessions at once: wait for the lock instead of failing.
    # The product's own SQLite pragmas (write-ahead log, no fsync per commit) stay as deployed.
    DATABASES["default"]["OPTIONS"] = {
        **PRODUCT_DATABASES["default"].get("OPTIONS", {}),
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }

TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]

# Side effects stay in-process and cost what rendering them costs; nothing leaves the machine.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True

# The strength check and reset requests are rate-limited per IP; every bench request comes from 127.0.0.1.
PASSWORD_CHECK_RATE = "1000000/min"
PASSWORD_RESET_REQUEST_RATE = "1000000/min"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
