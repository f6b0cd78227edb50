# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 3

.PHONY: run test test-dates install migrate demo serve worker lint format messages browser system-deps bench cluster-check clean

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving on http://$(HOST):$(PORT)/ (the task worker runs alongside; Ctrl-C stops both)"
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# Not part of `make test`: the suite under libfaketime (Debian's `faketime`) at other dates
# than today, so a test that depends on the calendar shows itself. The tests pin their own
# clock (conftest.py); this checks that nothing slips past the pin.
TEST_DATES ?= 2027-03-01 2026-02-28
test-dates: install system-deps
	@command -v faketime >/dev/null || { echo "install faketime (apt-get install faketime)"; exit 1; }
	for day in $(TEST_DATES); do \
	  echo "== the suite on $$day"; \
	  FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$$day 09:30:00" $(BIN)/pytest $(PYTEST_ARGS) || exit 1; \
	done

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# What the test suite needs from the system: Chromium with CJK fonts for the browser
# tests, and gettext for the translation check.
system-deps:
	@scripts/system-deps.sh $(BIN)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

serve: install
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS)

worker: install
	$(BIN)/python manage.py db_worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Each app keeps its own catalogue in <app>/locale (the shared layout is core's).
APPS_WITH_MESSAGES := $(patsubst %/locale,%,$(wildcard biaoshuai/*/locale))
messages: install
	for app in $(APPS_WITH_MESSAGES); do \
	  (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l zh_Hans --no-obsolete --no-location) || exit 1; \
	done
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

bench: install
	$(BIN)/python bench/run.py

# Not part of `make test`: two gunicorn nodes, a task worker, PostgreSQL, Redis and HAProxy;
# one node killed with SIGKILL under load; acknowledged against stored (deploy/cluster/).
cluster-check: install
	BIN=$(BIN) deploy/cluster/cluster-check.sh

clean:
	rm -rf $(VENV) staticfiles test-artifacts
