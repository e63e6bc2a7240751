# The Seller Center image: web (gunicorn), Celery worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=false

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so that a code change does not reinstall them.
# psycopg2-binary carries its own libpq: no system packages are needed.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Static files are collected into the image and served by WhiteNoise. The keys below exist only for
# this build step; the running containers must be given SECRET_KEY and TOTP_ENCRYPTION_KEY.
RUN SECRET_KEY=collectstatic-only TOTP_ENCRYPTION_KEY=Y29sbGVjdHN0YXRpYy1vbmx5LW5ldmVyLXVzZWQtMzI= \
    python manage.py collectstatic --noinput -v0

# Private uploads and file e-mail live on volumes mounted at /data (see docker-compose.yml).
RUN useradd --create-home --uid 1000 seller \
    && mkdir -p /app/var /data/private /data/mail \
    && chown -R seller /app/var /data
USER seller

EXPOSE 8000
CMD ["gunicorn", "sellercenter.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
