# The assistant's everyday commands. `make run` and `make test` work on a fresh
# machine: they install what is missing and train the model when it is stale.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RASA := cd rasa_project && RASA_TELEMETRY_ENABLED=false ../$(BIN)/rasa
MODEL := rasa_project/models/stays.tar.gz
RASA_INPUTS := $(shell find rasa_project/data rasa_project/addons -type f -name '*.y*ml' -o -name '*.py' 2>/dev/null) \
               rasa_project/domain.yml rasa_project/config.yml
KNOWLEDGE_YAML := $(wildcard knowledge/*.yml)
NLU_GENERATED := rasa_project/data/nlu/lookups.yml rasa_project/data/nlu/synonyms.yml
export RASA_TELEMETRY_ENABLED := false
# `make run CATALOG=albany.csv`: the chat, the shell and `stays` serve an imported catalog
ifdef CATALOG
export STAYS_CATALOG := $(abspath $(CATALOG))
endif

.PHONY: help install train nlu-data validate run shell test lint typecheck test-unit test-server test-rasa nlu-eval bench converse \
        catalog clean clean-cache

help:
	@echo "make install   create .venv (Python $(PYTHON_VERSION)) and install everything (idempotent)"
	@echo "make run       train if stale, start action server + Rasa server + web chat (http://localhost:8080)"
	@echo "make shell     talk to the bot in the terminal (rasa shell), action server started for you"
	@echo "make test      the whole test suite: lint and typecheck first, unit tests, then train, validate,"
	@echo "               server tests and conversations, Rasa stories"
	@echo "make lint      ruff: errors, warnings, import order, bugbear, Python 3.10 syntax (seconds)"
	@echo "make typecheck mypy: strict on src/constraints, defaults on actions, scripts, addons (seconds)"
	@echo "make train     retrain the model only when its data changed"
	@echo "make nlu-data  regenerate lookup tables and synonyms from knowledge/"
	@echo "make nlu-eval  NLU cross-validation: intent and entity F1"
	@echo "make bench     engine benchmark (10k/100k/1M properties) -> BENCHMARKS.md"
	@echo "make converse FILE=tests/conversations/x.yml   replay one scripted conversation, verbosely"

$(VENV)/.installed: pyproject.toml .python-version web/package.json web/package-lock.json
	@command -v python$(basename $(PYTHON_VERSION)) >/dev/null 2>&1 || \
	  { echo "python$(basename $(PYTHON_VERSION)) not found: install Python $(PYTHON_VERSION) (pyenv install $(PYTHON_VERSION))"; exit 1; }
	@[ -x $(PY) ] || python$(basename $(PYTHON_VERSION)) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<25"
	$(PY) -m pip install --quiet -e ".[dev]"
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

$(NLU_GENERATED) &: $(KNOWLEDGE_YAML) scripts/generate_nlu_data.py | $(VENV)/.installed
	$(PY) scripts/generate_nlu_data.py

nlu-data: $(NLU_GENERATED)

$(MODEL): $(RASA_INPUTS) $(NLU_GENERATED) | $(VENV)/.installed
	$(RASA) train --fixed-model-name stays --out models
	@touch $@

train: $(MODEL)

validate: $(NLU_GENERATED) | $(VENV)/.installed
	$(RASA) data validate --fail-on-warnings

run: $(MODEL)
	$(PY) scripts/services.py

shell: $(MODEL)
	$(PY) scripts/shell.py

# Cheapest first, so a failure shows as early as it can: lint and typecheck
# (seconds), the unit tests need no model, then the model is trained if stale,
# the data validated, and only then come the tests that start servers and the
# Rasa test stories.
test:
	$(MAKE) lint typecheck
	$(MAKE) test-unit
	$(MAKE) train validate
	$(MAKE) test-server test-rasa

lint: | $(VENV)/.installed
	$(BIN)/ruff check .

typecheck: | $(VENV)/.installed
	$(BIN)/mypy

test-unit: | $(VENV)/.installed
	$(PY) -m pytest -m "not server and not browser"

test-server: $(MODEL)
	$(PY) -m pytest -m "server or browser"

test-rasa: $(MODEL)
	$(RASA) test core --stories tests/ --fail-on-prediction-errors --out results/core

nlu-eval: $(NLU_GENERATED) | $(VENV)/.installed
	$(PY) scripts/nlu_eval.py

bench: | $(VENV)/.installed
	$(PY) benchmarks/bench.py

converse: $(MODEL)
	$(PY) -m tests.conversations.replay $(FILE)

catalog: | $(VENV)/.installed
	$(PY) -m constraints.generate_catalog --size 2400 --seed 7 -o knowledge/catalog.csv
	$(PY) -m constraints.generate_calendar --catalog knowledge/catalog.csv --start 2026-11-01 --end 2027-12-31 --seed 7 -o knowledge/catalog.calendar.csv

# Rasa keeps every trained component in rasa_project/.rasa/cache by fingerprint:
# with it, an NLU edit retrains only the NLU pipeline and a story edit only the
# policies. `clean` keeps it; `clean-cache` drops it (the next training is from scratch).
clean:
	rm -rf rasa_project/models rasa_project/results .run tests/artifacts

clean-cache:
	rm -rf rasa_project/.rasa
