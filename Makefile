# claimtrace: `make extract` sets everything up and runs the main job; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLI := $(BIN)/claimtrace
Q ?=
export Q
QUERY_DEFAULT := SELECT id, kind, side, published FROM documents
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup extract query review review-web report browse dask test bench realpages mutation clean
BROWSE_STAMP := $(VENV)/.browse-installed
DASK_STAMP := $(VENV)/.dask-installed
MUTATION_STAMP := $(VENV)/.mutation-installed

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	@# setuptools explains editable installs at length on every run; show its output only on failure
	@$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; echo "Error: installing claimtrace into $(VENV) failed (log above)"; exit 1; }
	@touch $(STAMP)

setup: $(STAMP) ## create .venv with the pinned dependencies and the spaCy model

extract: setup ## (re)build the claim database from the bundled corpus
	$(CLI) extract $(ARGS)

query: setup ## read-only SQL or a saved query: make query Q='SELECT ...' or ARGS='--saved disputed'
	@# Q reaches the shell through the environment, so quotes inside the SQL stay as they are
	$(CLI) query $(ARGS) $(if $(strip $(Q)),"$$Q",$(if $(strip $(ARGS)),,"$(QUERY_DEFAULT)"))

review: setup ## review proposed claims interactively
	$(CLI) review $(ARGS)

review-web: setup ## review in the browser on 127.0.0.1:8002 (claimtrace serve)
	$(CLI) serve $(ARGS)

report: setup ## write the static HTML report to build/report/index.html
	$(CLI) report $(ARGS)

$(BROWSE_STAMP): requirements-browse.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-browse.txt
	@touch $(BROWSE_STAMP)

browse: $(BROWSE_STAMP) ## serve the database with Datasette on 127.0.0.1:8001
	$(CLI) browse $(ARGS)

$(DASK_STAMP): requirements-dask.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dask.txt
	@touch $(DASK_STAMP)

dask: $(DASK_STAMP) ## install the optional Dask extra (extract --scheduler)

test: setup $(BROWSE_STAMP) $(DASK_STAMP) ## run the test suite
	$(BIN)/python -m pytest $(ARGS)

bench: setup $(DASK_STAMP) ## time the pipeline against bare spaCy, incremental runs, the Dask path
	$(CLI) bench $(ARGS)
	$(CLI) --corpus tests/data/ru bench $(ARGS)
	$(CLI) bench --incremental --documents 120
	$(CLI) bench --incremental --documents 300
	$(CLI) bench --dask

realpages: setup ## score the real-page sets (texts not in the repository: tests/realpages/*/SOURCES.md)
	$(BIN)/python tests/score_set.py tests/realpages/dev tests/realpages/dev2 tests/realpages/sealed tests/realpages/sealed2 tests/realpages/sealed3 tests/realpages/dev3 tests/realpages/dev4 \
		tests/realpages/dev5 tests/realpages/dev6 tests/realpages/dev7 tests/realpages/ru-dev tests/realpages/ru-dev2 tests/realpages/ru-dev3 \
		tests/realpages/ru-dev4 tests/realpages/ru-sealed $(ARGS)

$(MUTATION_STAMP): requirements-mutation.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-mutation.txt
	@touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP) ## mutmut over claims, curation, store/query, cache (hours; build/mutation/summary.md; not in CI)
	@# one worker, lowest priority: a run takes hours and the machine stays usable; ARGS='cache query' for some modules
	nice -n 19 $(BIN)/python tests/mutation.py $(ARGS)

clean: ## remove the built database and caches (keeps .venv)
	rm -rf build .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
