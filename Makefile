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
# The deploy check: the CDK app deployed onto the ministack emulator (docs/deploy.md).
# ministack runs the functions with its own interpreter, so it gets a Python 3.12 (the Lambda
# runtime's) environment of its own; the CDK CLI is pinned in a local npm install.
DEPLOY_CHECK := tools/deploy_check
EMULATOR_VENV := .deploy-check/venv
EMULATOR_STAMP := $(EMULATOR_VENV)/.installed
CDK_CLI_STAMP := $(DEPLOY_CHECK)/cdk-cli/node_modules/.package-lock.json
# The first candidate that runs as Python 3.12 (pyenv's shim on PATH may refuse to run).
PYTHON312_CANDIDATES := python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12)
PYTHON312 ?= $(firstword $(foreach p,$(PYTHON312_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1 && echo $(p))))
# `make deploy-check DEPLOY_CHECK_APP=broken-rule` deploys a deliberately broken variant: it must fail.
DEPLOY_CHECK_APP ?= shop
DEPLOY_CHECK_RUN := SHOP_DEPLOY_CHECK=$(DEPLOY_CHECK_APP) $(BIN)/python -m pytest tests/deploy -n 0 --timeout 900 --tb=short

.PHONY: help demo local test lint format typecheck schemas openapi chromium deploy-check clean

help:
	@echo "make demo   - set everything up and run the demo on the local stack"
	@echo "make test   - set everything up and run lint, type check and the whole suite"
	@echo "make deploy-check - deploy the CDK app onto the ministack emulator and drive it"

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

$(EMULATOR_STAMP): $(DEPLOY_CHECK)/emulator-requirements.txt
	@if [ -z "$(PYTHON312)" ]; then \
		echo "the deploy check needs Python 3.12 (the Lambda runtime's) for the emulator:" \
			"put python3.12 on PATH or pass PYTHON312=/path/to/python3.12" >&2; \
		exit 1; \
	fi
	rm -rf $(EMULATOR_VENV)
	$(PYTHON312) -m venv $(EMULATOR_VENV)
	$(EMULATOR_VENV)/bin/pip install --quiet --disable-pip-version-check --requirement $<
	touch $@

$(CDK_CLI_STAMP): $(DEPLOY_CHECK)/cdk-cli/package.json $(DEPLOY_CHECK)/cdk-cli/package-lock.json
	cd $(DEPLOY_CHECK)/cdk-cli && npm ci --no-audit --no-fund --ignore-scripts

deploy-check: $(DEV_STAMP) $(EMULATOR_STAMP) $(CDK_CLI_STAMP)
	$(DEPLOY_CHECK_RUN)

# The deploy check runs after the suite, not beside it: the suite keeps both cores.
test: chromium lint typecheck $(ASYNCAPI_STAMP) $(EMULATOR_STAMP) $(CDK_CLI_STAMP)
	$(BIN)/python -m pytest
	$(DEPLOY_CHECK_RUN)

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .mypy_cache .ruff_cache $(ASYNCAPI_CHECK)/node_modules \
		.deploy-check $(DEPLOY_CHECK)/cdk-cli/node_modules
