# Two commands for a newcomer: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help venv demo local test lint format typecheck schemas catalogue openapi unit contract integration e2e infra browser clean

help:
	@echo "make demo   - set everything up and run the demo on the local stack"
	@echo "make test   - set everything up and run lint, type check and the whole suite"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,cdk,browser]'
	touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy events services local infra

schemas: $(STAMP)
	$(BIN)/python -m events.schema_gen
	$(BIN)/python -m events.catalogue

test: lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .mypy_cache .ruff_cache
