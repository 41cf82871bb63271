# Two commands: `make run` and `make test`. Both go through `.venv`, which creates or updates
# the virtual environment only when pyproject.toml changed since the last install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE ?= resources/examples/cluster-to-cluster-csv.hvd

.PHONY: run test bench bench-canvas bench-exports bench-capacity schema lint screenshots .venv
.venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: .venv
	$(BIN)/hvdesigner $(EXAMPLE)

test: .venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: .venv
	$(BIN)/python bench/core.py

# Regenerate the published JSON Schema from the format's tables (a test keeps them equal).
schema: .venv
	$(BIN)/python -m hvdesigner.fileformat.schema > resources/schema/design-v2.schema.json

lint: .venv
	$(BIN)/python -m pip install --quiet ruff mypy
	$(BIN)/ruff check hvdesigner tests bench --select E,F,W,I,B,UP --ignore E501
	$(BIN)/mypy hvdesigner/model hvdesigner/rules hvdesigner/capacity hvdesigner/recovery hvdesigner/fileformat hvdesigner/exporters hvdesigner/editing hvdesigner/cli.py

# PNGs of the designer on every bundled example, light and dark, for the docs.
screenshots: .venv
	mkdir -p docs/img
	for f in resources/examples/*.hvd; do \
	  name=$$(basename $$f .hvd); \
	  for theme in light dark; do \
	    QT_QPA_PLATFORM=offscreen $(BIN)/hvdesigner $$f --screenshot docs/img/$$name-$$theme.png --theme $$theme || exit 1; \
	  done; \
	done

bench-canvas: .venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/canvas.py

bench-exports: .venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/exports.py

bench-capacity: .venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/capacity.py
