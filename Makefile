# Gonggam: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# pytest-xdist workers for `make test` (each gets its own test database and Redis databases):
# one per core, at most 8 (Redis has 16 databases; tests/parallel.py gives each worker its own).
# Two per core was slower on the 2-core machine (2026-12-08: 17 min against 16 min).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 8 ] && n=8; echo $$n)
DEV_ENV := DEBUG=true
# `make run` behaves like the product: DEBUG off (the app's own error pages, whitenoise serving
# the collected static files); `make run DEBUG=true` for Django's debugging pages.
DEBUG ?= false
VAR_DIR ?= $(CURDIR)/var
# With DEBUG off the settings refuse to start without a SECRET_KEY: `make run` gives it one made
# for this checkout alone (kept in VAR_DIR, never a default of the settings), unless SECRET_KEY
# is set. The server listens on 127.0.0.1 only, over plain HTTP: no HTTPS redirect, no secure-only
# cookies, no HSTS (which would pin localhost to HTTPS in the browser).
RUN_SECRET_KEY = $(or $(SECRET_KEY),$(shell mkdir -p "$(VAR_DIR)" && f="$(VAR_DIR)/make-run-secret-key" && { test -s "$$f" || { umask 077; $(PYTHON) -c "import secrets; print('make-run-local-only-' + secrets.token_urlsafe(48))" > "$$f"; }; } && cat "$$f"))
LOCAL_HOSTS := localhost,127.0.0.1,[::1]
LOCAL_ENV = DEBUG=$(DEBUG) VAR_DIR="$(VAR_DIR)" SECRET_KEY="$(RUN_SECRET_KEY)" \
	ALLOWED_HOSTS=$(or $(ALLOWED_HOSTS),$(LOCAL_HOSTS)) \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0
# Links in emails (proposals, feedback, digests) must reach the server `make run` starts: derived
# from PORT unless SITE_URL is set.
RUN_ENV = $(LOCAL_ENV) SITE_URL=$(or $(SITE_URL),http://localhost:$(PORT))

.PHONY: run test lint fmt migrations-check messages openapi bench services clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Gonggam is starting at http://127.0.0.1:$(PORT)/  (Ctrl+C stops web, worker and beat)"
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(RUN_ENV) PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

services:
	bash scripts/ensure_services.sh

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(VENV)/.dev
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

messages: $(VENV)/.dev
	$(DEV_ENV) $(PY) manage.py makemessages -l ko --no-obsolete -e html,txt,py,jinja --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=benchmarks
	$(DEV_ENV) $(PY) manage.py compilemessages -l ko --ignore=.venv

# The API's OpenAPI schema, committed as docs/openapi.yaml (tests/agency_crm/api/test_schema.py
# fails when it is stale or when generating it warns).
openapi: $(VENV)/.dev
	$(DEV_ENV) $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file docs/openapi.yaml

test: $(VENV)/.dev services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: $(VENV)/.dev services
	@command -v wrk >/dev/null || { sudo -n true 2>/dev/null && S=sudo; $$S apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$S apt-get install -y -qq wrk >/dev/null; }
	$(PY) benchmarks/run.py $(BENCH_ARGS)
	$(PY) benchmarks/throughput.py $(THROUGHPUT_ARGS)
	$(PY) benchmarks/bench_board.py $(BOARD_BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
