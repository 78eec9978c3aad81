# cstograph: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-full venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project metadata changes.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/cstograph validate
	$(BIN)/cstograph report --out out

# When make started: `make test` ends by saying how long it took, the venv and lint included.
STARTED := $(shell date +%s.%N)

# -n auto: one pytest-xdist worker per CPU core. Here (2 cores) 127 s against 285 s in one
# process; -n 3 was no faster (133 s).
test: lint
	@status=0; $(BIN)/python -m pytest -q -n auto || status=$$?; \
	echo "make test: $$(awk "BEGIN { printf \"%.1f\", $$(date +%s.%N) - $(STARTED) }") s wall"; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# The benchmarks need the bench extra (raphtory, a peer to compare with).
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP) $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/cold_members.py --runs 5
	$(BIN)/python benchmarks/scale.py --sizes 10000 100000 --runs 3

bench-full: $(BENCH_STAMP)
	$(BIN)/python benchmarks/cold_members.py --runs 5
	$(BIN)/python benchmarks/scale.py --sizes 10000 100000 --full --runs 3

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
