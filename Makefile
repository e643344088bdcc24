# Two commands: `make book` builds the site into _build/html; `make test` runs every test.
# `make pdf` builds the whole book as one PDF, _build/pdf/book.pdf (needs Chromium).
# Needs only Python 3.11 (or 3.12), pip and make. The datasets are found as the package finds
# them (aigov.sources.mirror_dir): DATA_MIRROR=/path, else ../shared/data-mirror, else download.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ifdef DATA_MIRROR
export AIGOV_DATA_MIRROR := $(abspath $(DATA_MIRROR))
endif

.PHONY: book test pdf bench clean

book: $(VENV)/.installed
	$(BIN)/aigov build

test: $(VENV)/.installed
	$(BIN)/python -m pytest

pdf: $(VENV)/.installed
	$(BIN)/aigov pdf

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

clean:
	rm -rf _build
