# Rapport: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format install install-dev serve clean plotly-bundle

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

# Static files are collected with hashed names and compressed copies, which WhiteNoise
# serves with far-future cache headers (config/settings.py, STORAGES).
serve: install
	$(PY) manage.py collectstatic --noinput -v0
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

# plotly.js for the charts is the published partial bundle "cartesian" (scatter, bar,
# heatmap and a few more) of the version the installed plotly package builds figures
# for, kept in static/ so that neither CI nor a server needs npm. Run this after
# upgrading plotly; it is the only target that needs npm.
PLOTLY_VENDOR := static/vendor/plotly
plotly-bundle: install
	@version=$$($(PY) -c "from plotly.offline import get_plotlyjs_version as v; print(v())") \
	&& work=$$(mktemp -d) \
	&& (cd $$work && npm pack --silent plotly.js-cartesian-dist-min@$$version >/dev/null && tar xzf *.tgz) \
	&& cp $$work/package/plotly-cartesian.min.js $(PLOTLY_VENDOR)/plotly-cartesian.min.js \
	&& cp $$work/package/LICENSE $(PLOTLY_VENDOR)/LICENSE.txt \
	&& rm -rf $$work && echo "plotly.js-cartesian-dist-min $$version in $(PLOTLY_VENDOR)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
