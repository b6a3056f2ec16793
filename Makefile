# One command sets everything up and runs the demo; one sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck unit clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system-deps.sh scripts/install-fonts.sh
	bash scripts/install-system-deps.sh
	bash scripts/install-fonts.sh fonts
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/assess demo

lint: setup
	$(BIN)/ruff check assess tests benchmarks
	$(BIN)/ruff format --check assess tests benchmarks

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit
	$(BIN)/assess criteria check criteria/

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
