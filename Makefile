# Two commands from a fresh clone: `make portal` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTS  := $(VENV)/.installed-test
AS_OF  ?= $(shell date +%F)
export NO_MKDOCS_2_WARNING := 1

.PHONY: portal serve test check lint bench clean

## What running needs (the portal, the check); the tests' tools come with `make test`.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q generator  # each itsms run starts from bytecode
	touch $(STAMP)

$(TESTS): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TESTS)

## Check and build the portal from the shipped content, then say how to open it.
portal: $(STAMP)
	$(BIN)/itsms build --root . --as-of $(AS_OF)
	@echo
	@echo "Open the portal: make serve, then http://127.0.0.1:8000/ in a browser"
	@echo "(or serve site/ with any web server). site/index.html opened from disk"
	@echo "shows folder listings instead of pages: for a copy that works from disk,"
	@echo "run $(BIN)/itsms build --offline --site-dir site-offline"

## Live preview on http://127.0.0.1:8000/ (drafts too with PREVIEW=--preview).
serve: $(STAMP)
	$(BIN)/itsms serve --root . $(PREVIEW)

## Run every test (browser tests need Debian's chromium at /usr/bin/chromium).
test: $(TESTS)
	$(BIN)/pytest -q

check: $(STAMP)
	$(BIN)/itsms check --root . --as-of $(AS_OF)

lint: $(TESTS)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) site build *.egg-info
