# Seller Center: `make run` serves the demo shop, `make test` runs the whole suite.
# Both work on a fresh machine with only python3: the first target that needs it creates .venv and
# installs the project once (again only when pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(BIN)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# DEMO_PASSWORD=... gives every demo user that password instead of printed random ones.
DEMO_PASSWORD ?=
PYTEST_ARGS ?=

.PHONY: help install run serve setup test lint format bench worker beat clean distclean

help:
	@echo "make run      create .venv, install, migrate, load the demo shop, serve http://$(HOST):$(PORT)"
	@echo "make test     create .venv, install, run the whole suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint     ruff check, ruff format --check and import-linter's layer contracts"
	@echo "make bench    login and dashboard throughput against stock Django baselines, query counts"
	@echo "make worker   a Celery worker (needs REDIS_URL)"
	@echo "make beat     Celery beat, the periodic tasks (needs REDIS_URL)"
	@echo "make clean    remove generated files (static, bench data, caches); distclean also removes .venv and var/"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

# The database and static files a server needs; safe to run again.
setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0

run: setup
	$(BIN)/python manage.py seed_demo $(if $(value DEMO_PASSWORD),--password '$(subst ','\'',$(value DEMO_PASSWORD))')
	@echo "Seller Center: http://$(HOST):$(PORT)/  (e-mails are written to var/mail/ unless EMAIL_BACKEND is set)"
	HOST='$(HOST)' PORT='$(PORT)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production server, as docker-compose runs it.
serve: setup
	HOST='$(HOST)' PORT='$(PORT)' $(BIN)/gunicorn sellercenter.wsgi --bind $(HOST):$(PORT) --workers 2

test: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench.run

worker: install
	$(BIN)/celery -A sellercenter worker --loglevel INFO

beat: install
	mkdir -p var
	$(BIN)/celery -A sellercenter beat --loglevel INFO --schedule var/celerybeat-schedule

clean:
	rm -rf var/static var/bench var/celerybeat-schedule* test-results .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var
