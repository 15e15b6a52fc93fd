# Section 75 agreements: everyday commands. `make run` to try it, `make test` to check it.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON_FOR_VENV := $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
PYTEST_ARGS ?=
# One pytest worker per core (pytest-xdist), a test file per worker: each test database is named
# per process (config/settings_test.py), so the workers never share one. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: venv assets migrate demo run test lint bench browser

## venv: create .venv (Python 3.11) and install the project with its dev extras
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@if [ ! -x $(PY) ]; then \
		echo "Creating $(VENV) with $(PYTHON_FOR_VENV)"; \
		$(PYTHON_FOR_VENV) -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PIP) install --quiet '.[dev]'
	@rm -rf build s75_agreements.egg-info
	@touch $@

## assets: install GOV.UK Frontend and axe-core from package-lock.json
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## migrate: create or update the database (SQLite unless DATABASE_URL is set)
migrate: venv
	$(PY) manage.py migrate --noinput

## demo: load the demo partners, agreements and sign-ins
demo: venv migrate
	DEBUG=true $(PY) manage.py load_demo

## run: everything needed, then the development server on http://127.0.0.1:8000/
run: venv assets migrate demo
	@echo ""
	@echo "The demo sign-ins are listed above (demo data only, never in production)."
	@echo "Open http://127.0.0.1:8000/"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite, browser tests included (they skip locally without Chromium, fail under CI=true)
test: venv assets browser
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## lint: ruff
lint: venv
	$(VENV)/bin/ruff check .

## bench: run every bench/*.py script and print one table (bench/run_all.py; pages on the s75_bench database)
bench: venv assets
	$(PY) bench/run_all.py

## browser: make sure Debian's Chromium is at /usr/bin/chromium (never fails; the tests decide)
browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "Chromium: /usr/bin/chromium"; \
	elif [ "$$(id -u)" != "0" ]; then \
		echo "Chromium is missing at /usr/bin/chromium and installing it needs root:"; \
		echo "  sudo apt-get update && sudo apt-get install -y chromium"; \
		echo "Browser tests will be skipped (or fail when CI=true)."; \
	elif apt-get update -qq && apt-get install -y -qq chromium; then \
		echo "Chromium installed: /usr/bin/chromium"; \
	else \
		echo "Could not install Chromium with apt-get (see above)."; \
		echo "Browser tests will be skipped (or fail when CI=true)."; \
	fi
