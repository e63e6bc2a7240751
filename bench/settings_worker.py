"""Settings of the recovery figure's child process and of the Celery worker it starts: the bench's
database and a real broker (REDIS_URL), e-mail written as files under BENCH_MAIL_DIR."""

import os

from bench.settings import *  # noqa: F403

CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_RESULT_BACKEND = os.environ["REDIS_URL"]
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["BENCH_MAIL_DIR"]
