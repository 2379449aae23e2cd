# Quick start: `make run` opens the demo project, `make test` runs the tests.
# Both create the virtual environment in .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo.db

.PHONY: run test check lint bench snapshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO): $(STAMP)
	$(BIN)/workbench demo --out $(DEMO)

run: $(STAMP) $(DEMO)
	$(BIN)/workbench --project $(DEMO)

# Compiled modules are kept between runs even where PYTHONDONTWRITEBYTECODE is set:
# every test worker imports the whole package and every test module again.
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n auto

# The fast checks first: lint and types, then the tests.
check: lint test

lint: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks
	$(BIN)/ruff format --check workbench tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/tui.py
	$(BIN)/python benchmarks/refi.py
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/suggest.py

# Accept changed screen snapshots, after looking at the report of the failing test.
snapshots: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_snapshots.py --snapshot-update

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO)-wal $(DEMO)-shm
