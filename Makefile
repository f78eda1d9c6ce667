# CapitalLens importer. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The workbook `make run` imports: a real model when given, else a generated one.
FILE ?=
NAME ?= Demo model

.PHONY: help install run test test-fast test-bare lint bench fidelity fidelity-others db-reset worker web clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed hyperformula/node_modules/.package-lock.json ## Create .venv, install Python and npm packages

$(VENV)/.installed: setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,web,bench]' --config-settings editable_mode=compat
	touch $@

hyperformula/node_modules/.package-lock.json: hyperformula/package-lock.json
	npm ci --prefix hyperformula --no-audit --no-fund

run: install ## Set up the database, start a worker, import a workbook through the queue
	@set -e; mkdir -p .capitallens; \
	$(BIN)/capitallens db upgrade; \
	file="$(FILE)"; \
	if [ -z "$$file" ]; then file=.capitallens/demo_model.xlsx; $(BIN)/python -m bench.generate --cells 4000 --out $$file >/dev/null; fi; \
	$(BIN)/capitallens worker --concurrency 1 > .capitallens/demo-worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null || true' EXIT; \
	$(BIN)/capitallens import --file "$$file" --name "$(NAME)" --force; \
	echo "Imported through the queue. Try: $(BIN)/capitallens models"

test: install ## Run the Node plugin tests and the whole Python suite with coverage
	npm test --prefix hyperformula --silent
	$(BIN)/pytest --cov --cov-report=term:skip-covered --cov-fail-under=80 --durations=30

test-fast: install ## The Python suite without the corpus and worker-process tests
	$(BIN)/pytest -q -m "not corpus and not slow"

# With no PostgreSQL server reachable (PGHOST at an empty folder), the tests start the embedded one.
test-bare: install ## The fast part of the suite with no PostgreSQL server reachable (embedded)
	@bare=$$(mktemp -d); home=$${CAPITALLENS_HOME:-.capitallens}; \
	trap 'pid=$$(head -n 1 "$$home/pg-test/postmaster.pid" 2>/dev/null) && kill -INT $$pid 2>/dev/null; rm -rf "$$bare"' EXIT; \
	env -u TEST_DATABASE_URL -u DATABASE_URL PGHOST="$$bare" CAPITALLENS_HOME="$$home" \
		$(BIN)/pytest -q -p no:cacheprovider -m "not corpus and not slow"

lint: install ## ruff
	$(BIN)/ruff check .

# Issue 13's report in one run (several minutes: 1M cells through the queue, other engines, the
# formulas library at 100k); the corpus is skipped, with a message, when the folder is absent.
bench: install .venv-bench/.installed ## Benchmarks: every figure and goal, bench/stages.png (see BENCHMARKS.md)
	$(BIN)/python -m bench.run --sizes 100000,1000000 --debt-cells 60000 --lookup-rows 100000 \
		--bench-python .venv-bench/bin/python --chart bench/stages.png --corpus ../shared/corpus/excel
	$(BIN)/python -m bench.upload_latency
	$(BIN)/python -m bench.parse_modes

# Other engines, for comparison only: in their own environment, never product dependencies.
# `formulas`, IronCalc and formualizer are measured against; openpyxl reads Excel's cached values
# there (bench/other_engines.py); matplotlib draws BENCHMARKS.md's chart.
BENCH_PACKAGES := 'formulas[excel]' ironcalc formualizer openpyxl matplotlib
.venv-bench/.installed: Makefile
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet $(BENCH_PACKAGES)
	touch $@

fidelity: install ## Match rate on ../shared/corpus, written to FIDELITY.md
	$(BIN)/capitallens fidelity --write FIDELITY.md ../shared/corpus/excel

# Separate from `fidelity` on purpose: it needs .venv-bench and its figures change only when an
# engine's version or the corpus does; `make fidelity` renders the FIDELITY_OTHERS.json it finds.
fidelity-others: .venv-bench/.installed ## IronCalc and formualizer on ../shared/corpus, same rule: FIDELITY_OTHERS.json
	.venv-bench/bin/python -m bench.other_engines ../shared/corpus/excel --out FIDELITY_OTHERS.json

db-reset: install ## Drop and re-create every table (asks first)
	$(BIN)/capitallens db reset

worker: install ## Run one worker in the foreground
	$(BIN)/capitallens worker

web: install ## Serve the JSON API for development (gunicorn in production: see Procfile)
	$(BIN)/capitallens web

clean: ## Remove the virtualenv, node_modules and local state
	rm -rf $(VENV) .venv-bench hyperformula/node_modules .capitallens
