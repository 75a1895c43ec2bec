# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= gongkai.settings.dev

.PHONY: demo test venv system-deps system-deps-test lint format test-sqlite test-postgres serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,s3]'
	touch $(STAMP)

venv: $(STAMP)

system-deps:
	bash scripts/system-deps.sh deploy/apt-packages.txt

system-deps-test:
	bash scripts/system-deps.sh deploy/apt-packages.txt deploy/apt-packages-test.txt

demo: system-deps venv
	$(BIN)/gongkai migrate --no-input
	$(BIN)/gongkai demo-data
	@echo
	@echo "  公开 gongkai 演示站 / demo site:  http://$(HOST):$(PORT)/"
	@echo "  管理后台 / admin:                 http://$(HOST):$(PORT)/admin/"
	@echo "  登录 / log in with the user and password printed above (see also var/demo-login.txt)."
	@echo
	$(BIN)/gongkai runserver $(HOST):$(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest-xdist: one worker per CPU (XDIST=-n0 runs in one process). --dist loadgroup: the tests of one
# xdist_group (the server tests; modules with a module-scoped fixture) run in one worker (conftest.py
# `_xdist_groups` makes the group marks work under pytest 9.2).
XDIST ?= -n auto --dist loadgroup
# The 30 slowest steps of each run are printed at its end (where the time goes; docs/development.md "Test time").
DURATIONS ?= --durations=30

test-sqlite: venv
	DJANGO_SETTINGS_MODULE=gongkai.settings.test $(BIN)/pytest $(XDIST) $(DURATIONS)

# The PostgreSQL run repeats only the tests that touch the database (conftest.py: GONGKAI_TEST_DATABASE_ONLY);
# DATABASE_ONLY=0 runs every test on PostgreSQL too.
DATABASE_ONLY ?= 1

test-postgres: venv
	GONGKAI_TEST_DATABASE_ONLY=$(DATABASE_ONLY) DJANGO_SETTINGS_MODULE=gongkai.settings.test bash scripts/with-throwaway-postgres.sh $(BIN)/pytest $(XDIST) $(DURATIONS) -m "not browser"

# The SQLite and PostgreSQL runs side by side; each run's output is printed when it ends (make -O).
test: system-deps-test venv lint
	$(MAKE) --no-print-directory -j2 -O test-sqlite test-postgres

clean:
	rm -rf $(VENV) var/test-*
