# Two entry points a newcomer needs: `make run` and `make test`. Both create .venv when missing.
# `make run` installs only what the app needs; `make test` adds the test tools (pytest, ruff, ...).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test bench lint clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "roleplay needs Python 3.11 or newer")'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create .venv: on Debian or Ubuntu, install python3-venv first (sudo apt install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $(APP_STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(APP_STAMP) $(TEST_STAMP)

# Benchmarks compare SQLite with a throwaway PostgreSQL server: they need psycopg too.
$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres]'
	@touch $(APP_STAMP) $(BENCH_STAMP)

run: $(APP_STAMP)
	$(BIN)/roleplay

test: $(TEST_STAMP)
	$(BIN)/ruff check roleplay tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks

lint: $(TEST_STAMP)
	$(BIN)/ruff check roleplay tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
