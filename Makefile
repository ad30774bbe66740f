# Two commands from a fresh clone: `make portal` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?= $(shell date +%F)
export NO_MKDOCS_2_WARNING := 1

.PHONY: portal serve test check lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Check and build the portal from the shipped content; it says where the site is.
portal: $(STAMP)
	$(BIN)/itsms build --root . --as-of $(AS_OF)

## Live preview on http://127.0.0.1:8000/ (drafts too with PREVIEW=--preview).
serve: $(STAMP)
	$(BIN)/itsms serve --root . $(PREVIEW)

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
