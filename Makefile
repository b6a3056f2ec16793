# One command sets everything up and runs the demo; one sets up and runs every check.
# Debian's own python3.11 (built with profile-guided and link-time optimisation) runs assess about 15%
# faster than a plain source build such as pyenv's; it is used when it can make a venv, else python3.
PYTHON ?= $(shell /usr/bin/python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1 && echo /usr/bin/python3.11 || echo python3)
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
