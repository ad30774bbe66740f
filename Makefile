# Two commands from a fresh clone: `make portal` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?= $(shell date +%F)
export NO_MKDOCS_2_WARNING := 1

.PHONY: portal test check lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the portal from the shipped content and say where it is.
portal: $(STAMP)
	$(BIN)/itsms check --root . --as-of $(AS_OF)
	$(BIN)/mkdocs build --quiet --site-dir site
	@echo "portal built: $(CURDIR)/site/index.html"

## Run every test (browser tests need Debian's chromium at /usr/bin/chromium).
test: $(STAMP)
	$(BIN)/pytest -q

check: $(STAMP)
	$(BIN)/itsms check --root . --as-of $(AS_OF)

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) site build *.egg-info
