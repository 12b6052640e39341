# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench bench-quick bench-compare clean

run: $(VENV)/.installed
	@$(BIN)/fieldcheck db upgrade
	@$(BIN)/fieldcheck serve --host $(HOST) --port $(PORT) --demo

test: $(VENV)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/flake8 server forms worker testkit tests bench
	$(BIN)/lint-imports

# The benchmarks (PostgreSQL and Redis on 127.0.0.1, as in CI): one table, and bench/results/<date>.json.
bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

bench-quick: $(VENV)/.installed
	$(BIN)/python bench/run_all.py --quick

# make bench-compare A=bench/results/<one>.json B=bench/results/<other>.json
bench-compare: $(VENV)/.installed
	$(BIN)/python bench/compare.py $(A) $(B)

# Quiet unless it fails: pip's notes would bury the lines a new user needs (they stay in the log).
$(VENV)/.installed: setup.cfg pyproject.toml
	@echo "installing fieldcheck into $(VENV) (log: $(VENV)/install.log) ..."
	@$(PYTHON) -m venv $(VENV)
	@( $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e ".[test]" ) \
		> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; echo "install failed (log above)"; exit 1; }
	@touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
