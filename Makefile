# Stagewise: `make demo` runs the platform with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_FOR_UV := $(shell scripts/find-python 2>/dev/null)
UV := .tools/bin/uv
VENV := .venv
RUN := $(VENV)/bin
DEMO_DATABASE_URL := sqlite:///$(CURDIR)/var/demo.sqlite3
# The demo is for strangers too: never debug pages, and email (password-reset links) on the console.
DEMO_SERVER_ENV := DATABASE_URL=$(DEMO_DATABASE_URL) STAGEWISE_DEMO_MODE=true STAGEWISE_DEBUG=false \
	STAGEWISE_EMAIL_HOST=

# pytest runs on every core (pytest-xdist), the browser journeys' modules handed out first
# (src/stagewise/testing/xdist_scheduling.py);
# PYTEST_WORKERS=0 runs in one process. Extra arguments: make pytest PYTEST_ARGS='-m "not browser"'.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

.PHONY: help install demo serve worker sweep test lint format typecheck pytest test-packages demo-packages messages check-deploy production-check clean

help: ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(UV):
	@test -n "$(PYTHON_FOR_UV)" || scripts/find-python
	$(PYTHON_FOR_UV) -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON_FOR_UV)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

var/frontend/govuk-frontend.min.css: node_modules/.installed scripts/build_frontend.py
	$(PYTHON_FOR_UV) scripts/build_frontend.py

install: $(VENV)/.installed node_modules/.installed var/frontend/govuk-frontend.min.css ## Create the environment and install Python and front-end dependencies

demo: demo-packages install ## Build a fresh demo database and serve it on http://127.0.0.1:8000
	rm -f var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm
	DATABASE_URL=$(DEMO_DATABASE_URL) $(RUN)/python manage.py migrate --verbosity 0
	DATABASE_URL=$(DEMO_DATABASE_URL) $(RUN)/python manage.py createcachetable
	DATABASE_URL=$(DEMO_DATABASE_URL) $(RUN)/python manage.py load_demo
	DATABASE_URL=$(DEMO_DATABASE_URL) $(RUN)/python manage.py refresh_measures --full
	$(DEMO_SERVER_ENV) $(RUN)/python manage.py runserver 127.0.0.1:8000

serve: demo-packages install ## Serve the existing demo database again without rebuilding it
	$(DEMO_SERVER_ENV) $(RUN)/python manage.py runserver 127.0.0.1:8000

worker: install ## Run the background task worker (django-tasks-db) against DATABASE_URL
	$(RUN)/python manage.py db_worker

sweep: install ## Run one deadline sweep now against DATABASE_URL: reminders, calendars, families
	$(RUN)/python manage.py deadline_sweep

test: test-packages install lint typecheck pytest ## Run the whole suite: lint, types, unit, access matrix and browser tests

lint: install ## ruff lint and format check
	$(RUN)/ruff check .
	$(RUN)/ruff format --check .

format: install ## Format the code with ruff
	$(RUN)/ruff check --fix .
	$(RUN)/ruff format .

typecheck: install ## mypy with django-stubs
	$(RUN)/mypy

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): each
# worker, each pass and each command a test starts would otherwise compile every module and
# rewrite every test module's asserts again, about 11 s of CPU a process (docs/performance.md).
pytest: test-packages install ## Run pytest (DATABASE_URL chooses the database; SQLite by default)
	env -u PYTHONDONTWRITEBYTECODE STAGEWISE_ENVIRONMENT=test $(RUN)/pytest --numprocesses $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-packages: ## Install the system packages the tests need (chromium, Pango, fonts, gettext), or say how
	@scripts/system-packages browser pdf messages

demo-packages: ## Install Pango and the fonts for printed plans if possible; the demo runs without them
	@scripts/system-packages --optional pdf

messages: install ## Extract strings and compile the Welsh catalogue
	cd src/stagewise && ../../$(RUN)/django-admin makemessages --locale cy --no-obsolete --ignore 'synthetic/*'
	cd src/stagewise && ../../$(RUN)/django-admin compilemessages --locale cy

check-deploy: install ## Django's deployment checklist with production settings
	STAGEWISE_ENVIRONMENT=production STAGEWISE_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	STAGEWISE_ALLOWED_HOSTS=stagewise.example DATABASE_URL=sqlite:///$$(mktemp -d)/unused.sqlite3 \
	STAGEWISE_EMAIL_HOST=smtp.stagewise.example STAGEWISE_DEFAULT_FROM_EMAIL=no-reply@stagewise.example \
	$(RUN)/python manage.py check --deploy --fail-level WARNING

production-check: check-deploy ## Build static files and start gunicorn with production settings, then ask it for a page and /health/
	scripts/production-check

.PHONY: bench-synth bench-pages bench-plans bench-clocks bench-requests bench-measures bench-dashboards bench-consistency bench-load bench-overhead bench-audit bench-national-pages
bench-synth: install ## Scotland at national size into PostgreSQL (stagewise_bench), timed against a plain COPY
	$(RUN)/python bench/bench_synth.py

bench-pages: install ## Learner list and profile timings (p50, p95) on the dataset bench-synth leaves
	$(RUN)/python bench/bench_pages.py

bench-plans: install ## A large plan's pages and its PDFs in English and Welsh (p50, p95), own database
	$(RUN)/python bench/bench_plans.py

bench-audit: install ## The audit log's insert cost and size per million events, before and after ADR 0038, own databases
	$(RUN)/python bench/bench_audit.py

bench-clocks: install ## The daily deadline sweep over both nations, and the officer's work queue, own database
	$(RUN)/python bench/bench_clocks.py

bench-overhead: install ## What being signed in costs a request: anonymous page against /me/ for staff and a parent, own database
	$(RUN)/python bench/bench_requests_overhead.py

bench-requests: install ## Requests for assistance at national scale: a service's queue, a learner's requests, own database
	$(RUN)/python bench/bench_requests.py

bench-measures: install ## The full refresh of the summary figures over both nations, against DuckDB on a Parquet export, own database
	$(RUN)/python bench/bench_measures.py

bench-dashboards: install ## The measures dashboards against the settings page, on the database bench-measures leaves
	$(RUN)/python bench/bench_dashboards.py

bench-consistency: install ## Both nations at scale 1.0, refreshed; the consistency report against the settings page
	$(RUN)/python bench/bench_consistency.py

bench-load: install ## 200 signed-in staff reading and writing through gunicorn for 10 minutes, then no write lost; BENCH_LOAD_ARGS="--restart-postgresql-at 300" for the fault run
	$(RUN)/python bench/bench_load.py $(BENCH_LOAD_ARGS)

bench-national-pages: install ## Issue 13's page table over HTTP through gunicorn, each page against /me/ in one run (Scotland at scale 1.0, own database); BENCH_NATIONAL_PAGES_ARGS="--reuse" keeps the dataset
	$(RUN)/python bench/bench_national_pages.py $(BENCH_NATIONAL_PAGES_ARGS)

clean: ## Remove the environment, front-end packages and local databases
	rm -rf .tools $(VENV) node_modules var
