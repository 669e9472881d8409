# Rapport: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format install install-dev serve clean

# The demo serves the product's own error pages, never Django's debug pages
# (config/settings.py, LOCAL_DEMO). Every step shares the demo's secret key,
# which the background worker needs to read the tasks the other steps queue.
# `DEBUG=true make run` shows the debug pages again, for development.
run serve: export LOCAL_DEMO ?= true

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

# The production extra too: tests/test_bench.py serves the demo with gunicorn.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev,production]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Migrate (which makes the cache's table too), load the demo organisation when
# the database is empty, declare the background schedules, plan sessions once
# (the worker then does it hourly), then serve the app and a django-q2 worker
# together.
# Ctrl-C stops both.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py setup_schedules
	$(PY) manage.py plan_sessions -v0
	$(PY) manage.py load_demo_history
	$(PY) manage.py load_demo_feedback
	@$(MAKE) --no-print-directory serve

serve: install
	$(PY) manage.py serve 127.0.0.1:$(PORT)

test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
