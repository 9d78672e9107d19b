# Two commands on a fresh machine: `make build` sets everything up and builds the default
# workbook into output/; `make test` runs the linters and the tests (it installs Chromium and
# DAISY Ace for the EPUB accessibility checks first). `make test-fast` is the edit-test loop.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: build test test-fast golden lint bench system-deps test-deps clean

build: $(VENV)/.installed
	$(BIN)/workbook build

test: $(VENV)/.installed test-deps lint
	$(BIN)/python -m pytest

# The edit-test loop, well under a minute: the linters and every test not marked slow (the
# golden tests included; no PDF written, no epubcheck, Ace or build in a subprocess).
test-fast: $(VENV)/.installed lint
	$(BIN)/python -m pytest -m "not slow"

# Writes tests/golden/ again from what render() makes now, after an intended change to
# templates, styles or content. Review `git diff tests/golden` before committing.
golden: $(VENV)/.installed
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

# ruff for style, mypy (strict) for types.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Speed against pandoc, rebuilds, batches, start-up and scale; writes bench/results.md.
bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

system-deps:
	bash scripts/install-system-deps.sh

# Chromium and DAISY Ace, for the EPUB accessibility tests.
test-deps:
	bash scripts/install-test-deps.sh

$(VENV)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) output/*.pdf output/*.epub output/*-site output/*-site-*
