# Agora: `make demo` to try it, `make test` to check it. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup demo test test-sqlite test-postgres lint bench clean chromium static lock

## setup: Python packages from the lock file, npm packages, the built front end, chromium.
setup: $(VENV)/.installed node_modules/.installed build/static/.built chromium

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed $(shell find src/agora/frontend -type f 2>/dev/null) scripts/build-static
	scripts/build-static
	touch $@

static: build/static/.built

## chromium: Debian's chromium for the browser tests, installed when missing.
chromium:
	@scripts/ensure-chromium

## demo: set up, load the demo town of Riverton and serve it on http://127.0.0.1:8000.
demo: setup
	AGORA_DEMO=1 $(BIN)/agora demo load
	AGORA_DEMO=1 $(BIN)/agora serve

## test: set up and run everything: ruff, import contracts, the suite on SQLite and on
## PostgreSQL (browser tests in chromium and the OpenAPI fuzz pass included).
test: setup
	scripts/run-tests

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	PYTHONPATH=src $(BIN)/lint-imports

test-sqlite: setup
	scripts/run-tests sqlite

test-postgres: setup
	scripts/run-tests postgres

## bench: the speed and memory benchmarks; figures go in docs/benchmarks.md.
bench: setup
	$(BIN)/python -m bench

## lock: re-resolve requirements/lock.txt (with hashes) after changing pyproject.toml.
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra embeddings --generate-hashes \
		--python-version 3.11 \
		-o requirements/lock.txt

clean:
	rm -rf $(VENV) node_modules build var
