# The two commands a new user needs: `make run` and `make test`. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

## run: install, migrate, load the plan, create demo users, serve on http://127.0.0.1:8000
run: $(STAMP)
	@scripts/run.sh

## test: install what the tests need, start private PostgreSQL, Redis (and a Celery worker), run pytest
test: $(STAMP)
	@scripts/test.sh $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## bench: build 1x and 100x databases on a private PostgreSQL (kept in var/bench), measure pages, throughput, the national report
bench: $(STAMP)
	@bench/run.sh

clean:
	rm -rf $(VENV) var
