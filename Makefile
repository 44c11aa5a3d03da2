# Two commands: `make demo` and `make test`. Both create or update .venv as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := build/demo
# The example workbook is written as seen on this day; the demo pretends it is that evening.
DEMO_NOW := 2026-11-26T18:00:00+01:00
PORT ?= 8888

.PHONY: demo test app lab lint format bench bench-app clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	cp -R data/example $(DEMO_DIR)/data
	$(BIN)/followup validate --data $(DEMO_DIR)/data
	$(BIN)/followup status --data $(DEMO_DIR)/data --now $(DEMO_NOW)
	$(BIN)/followup report --data $(DEMO_DIR)/data --out $(DEMO_DIR)/reports --now $(DEMO_NOW)
	$(BIN)/followup stats --data $(DEMO_DIR)/data --now $(DEMO_NOW)
	$(BIN)/followup offers --data $(DEMO_DIR)/data
	@echo
	@echo "Next: make app    opens this workbook in your browser (a copy of the example in $(DEMO_DIR)/data)"
	@echo "      make app FOLLOWUP_DATA=~/my-search    starts your own workbook there"
	@echo "      the reports are in $(DEMO_DIR)/reports/index.html"

test: $(VENV)/.installed-test
	$(BIN)/ruff check followup tests bench
	$(BIN)/python -m pytest

# The notebooks find the workbook through FOLLOWUP_DATA (default: this repository's data/).
FOLLOWUP_DATA ?= $(CURDIR)/data
# `make app` opens the demo's copy of the example once `make demo` has made it, else data/.
APP_DATA ?= $(if $(filter command line environment,$(origin FOLLOWUP_DATA)),$(FOLLOWUP_DATA),$(if $(wildcard $(DEMO_DIR)/data),$(DEMO_DIR)/data,$(FOLLOWUP_DATA)))
APP_NOW ?= $(if $(filter $(DEMO_DIR)/data,$(APP_DATA)),--now $(DEMO_NOW))
app: $(VENV)/.installed
	$(BIN)/followup app --data $(APP_DATA) $(APP_NOW)

# Saving a notebook in the lab drops its outputs (jupyter_server_config.py), so no answer lands in notebooks/.
lab: $(VENV)/.installed
	FOLLOWUP_DATA=$(FOLLOWUP_DATA) $(BIN)/jupyter lab --config=jupyter_server_config.py --notebook-dir=notebooks --port=$(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check followup tests bench
	$(BIN)/ruff format --check followup tests bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format followup tests bench
	$(BIN)/ruff check --fix followup tests bench

bench: $(VENV)/.installed-test
	$(BIN)/python bench/store.py
	$(BIN)/python bench/drafts.py
	$(BIN)/python bench/tracker.py
	$(BIN)/python bench/batch.py

# The app's pages in Chromium, each kernel started on demand and then kept warm: about 4 minutes.
bench-app: $(VENV)/.installed-test
	$(BIN)/python bench/app.py

clean:
	rm -rf build .pytest_cache .ruff_cache
