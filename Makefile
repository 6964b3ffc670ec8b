# Two commands for a newcomer: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --quiet --disable-pip-version-check
LOCAL_STAMP := $(VENV)/.installed-local
DEV_STAMP := $(VENV)/.installed-dev
# The functions' dependency layer pins what runs in AWS; the tests install the same versions.
LAYER_PINS := infra/layer/requirements.txt
# The official AsyncAPI parser (npm), which the contract tests run on docs/asyncapi.yaml.
ASYNCAPI_CHECK := tools/asyncapi-check
ASYNCAPI_STAMP := $(ASYNCAPI_CHECK)/node_modules/.package-lock.json

.PHONY: help demo local test lint format typecheck schemas openapi chromium clean

help:
	@echo "make demo   - set everything up and run the demo on the local stack"
	@echo "make test   - set everything up and run lint, type check and the whole suite"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# The local stack needs the runtime and moto only; tests add the dev tools, CDK and Playwright.
$(LOCAL_STAMP): pyproject.toml $(LAYER_PINS) | $(BIN)/python
	$(PIP) install -c $(LAYER_PINS) -e '.[local]'
	touch $@

$(DEV_STAMP): pyproject.toml $(LAYER_PINS) | $(BIN)/python
	$(PIP) install -c $(LAYER_PINS) -e '.[dev,cdk,browser,bench]'
	touch $@ $(LOCAL_STAMP)

demo: $(LOCAL_STAMP)
	$(BIN)/shop demo

local: $(LOCAL_STAMP)
	$(BIN)/shop local

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy events services local tools infra tests examples/subscriber

schemas: $(DEV_STAMP)
	$(BIN)/python -m tools.contract.schema_gen
	$(BIN)/python -m tools.contract.catalogue
	$(BIN)/python -m tools.contract.asyncapi

openapi: $(DEV_STAMP)
	$(BIN)/python -m services.orders.openapi

# The browser tests drive Debian's Chromium (a test tool's own browser download cannot work here).
CHROMIUM := /usr/bin/chromium
CHROMIUM_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing Debian's chromium for the browser tests"; \
			$(CHROMIUM_INSTALL) >/dev/null; \
		else \
			echo "make test needs $(CHROMIUM); as root run: $(CHROMIUM_INSTALL)" >&2; \
			exit 1; \
		fi; \
	fi

$(ASYNCAPI_STAMP): $(ASYNCAPI_CHECK)/package.json $(ASYNCAPI_CHECK)/package-lock.json
	cd $(ASYNCAPI_CHECK) && npm ci --no-audit --no-fund --ignore-scripts

test: chromium lint typecheck $(ASYNCAPI_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .mypy_cache .ruff_cache $(ASYNCAPI_CHECK)/node_modules
