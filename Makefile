# cstograph: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-full venv clean browser vendor-js

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
test: lint browser
	@status=0; $(BIN)/python -m pytest -q -n auto || status=$$?; \
	echo "make test: $$(awk "BEGIN { printf \"%.1f\", $$(date +%s.%N) - $(STARTED) }") s wall"; \
	exit $$status

# The explorer's browser tests drive Debian's Chromium by its path (never a browser download).
CHROMIUM := /usr/bin/chromium

browser: $(CHROMIUM)

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

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

# The explorer's JavaScript libraries, at the pinned versions, from the npm registry: packed
# into a temporary directory and copied with their licences into the package (see
# src/cstograph/explore/vendor/README.md). Run after changing a pin; commit the result.
VENDOR := src/cstograph/explore/vendor
VIS_NETWORK := vis-network@10.1.5
VIS_TIMELINE := vis-timeline@8.5.4

vendor-js:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; mkdir -p $(VENDOR); \
	for pkg in $(VIS_NETWORK) $(VIS_TIMELINE); do \
	  name=$${pkg%@*}; mkdir -p "$$tmp/$$name"; \
	  file=$$(cd "$$tmp" && npm pack --silent "$$pkg"); \
	  tar xzf "$$tmp/$$file" -C "$$tmp/$$name"; \
	  echo "$$pkg $$(npm view "$$pkg" dist.integrity)" >> "$$tmp/VERSIONS"; \
	done; \
	cp "$$tmp/vis-network/package/standalone/umd/vis-network.min.js" $(VENDOR)/; \
	cp "$$tmp/vis-network/package/LICENSE-MIT" $(VENDOR)/vis-network.LICENSE-MIT.txt; \
	cp "$$tmp/vis-network/package/LICENSE-APACHE-2.0" $(VENDOR)/vis-network.LICENSE-APACHE-2.0.txt; \
	cp "$$tmp/vis-timeline/package/standalone/umd/vis-timeline-graph2d.min.js" $(VENDOR)/; \
	cp "$$tmp/vis-timeline/package/styles/vis-timeline-graph2d.min.css" $(VENDOR)/; \
	cp "$$tmp/vis-timeline/package/LICENSE.md" $(VENDOR)/vis-timeline.LICENSE.md; \
	cp "$$tmp/vis-timeline/package/LICENSE.MIT.txt" $(VENDOR)/vis-timeline.LICENSE.MIT.txt; \
	cp "$$tmp/vis-timeline/package/LICENSE.Apache-2.0.txt" $(VENDOR)/vis-timeline.LICENSE.Apache-2.0.txt; \
	rm -rf $(VENDOR)/bundled; mkdir -p $(VENDOR)/bundled; \
	for name in vis-network vis-timeline; do \
	  node -e 'const p = require(process.argv[1]); for (const d of Object.keys(p.peerDependencies || {})) console.log(d + "@" + p.devDependencies[d]);' \
	    "$$tmp/$$name/package/package.json"; \
	done | sort -u > "$$tmp/bundled"; \
	sed -n 's|.*core-js/blob/v\([0-9.]*\)/LICENSE.*|core-js@\1|p' $(VENDOR)/vis-timeline-graph2d.min.js | head -1 >> "$$tmp/bundled"; \
	while read -r dep; do \
	  dir="$$tmp/dep-$$(echo "$$dep" | tr '/@' '__')"; mkdir -p "$$dir"; \
	  file=$$(cd "$$dir" && npm pack --silent "$$dep"); tar xzf "$$dir/$$file" -C "$$dir"; \
	  licence=$$(ls "$$dir"/package/LICEN[CS]E* "$$dir"/package/license* 2>/dev/null | head -1); \
	  cp "$$licence" "$(VENDOR)/bundled/$$(echo "$$dep" | tr '/' '_').LICENSE.txt"; \
	done < "$$tmp/bundled"; \
	cp "$$tmp/VERSIONS" $(VENDOR)/VERSIONS; \
	echo "Vendored into $(VENDOR):"; cat $(VENDOR)/VERSIONS; ls $(VENDOR)/bundled

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
