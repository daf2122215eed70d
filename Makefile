# Two commands do all set-up on a fresh machine:
#   make demo   reads the bundled sample reports (embedded defaults, nothing to start by hand)
#   make test   installs what the tests need and runs the whole test suite (.ci/run calls it)
#   make bench  installs what the benchmarks need and runs those of bench/ at quick sizes
#               (scripts/bench.sh: BENCH_SIZE=smoke|quick|full, results in out/bench/<time>/)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

demo: $(VENV)/.core
	$(BIN)/nianbao parse samples/seeds/*.txt
	$(BIN)/nianbao check samples/seeds/*.txt || true

test:
	bash scripts/test.sh

bench:
	VENV=$(VENV) PYTHON=$(PYTHON) bash scripts/bench.sh

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/_artifacts
