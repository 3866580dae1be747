# Công khai: the two commands a newcomer runs are `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
AXE := node_modules/axe-core/axe.min.js
PORT ?= 8000

.PHONY: site check serve new-plan clean test bench schema guide browser nginx-bin

$(RUNTIME): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(TESTDEPS): $(RUNTIME) requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

## site: build site/ from content/, reusing what the last build made (FRESH=1: from nothing; creates .venv when missing)
site: $(RUNTIME)
	$(PY) -m generator build --out site $(if $(FRESH),--fresh)

## check: validate content only (fast; used by the pre-commit hook)
check: $(RUNTIME)
	@$(PY) -m generator check

## serve: live preview for editors, rebuilt when content or templates change
serve: $(RUNTIME)
	$(PY) -m generator serve --port $(PORT)

## new-plan UNIT=ha-tinh/duc-tho YEAR=2024 [SLUG=ke-hoach]: scaffold a plan file from the schema
new-plan: $(RUNTIME)
	@test -n "$(UNIT)" -a -n "$(YEAR)" || { echo "Dùng: make new-plan UNIT=ha-tinh/duc-tho YEAR=2024 [SLUG=ke-hoach]"; exit 2; }
	$(PY) -m generator new-plan $(UNIT) $(YEAR) --slug $(or $(SLUG),ke-hoach)

## clean: remove what the build made
clean:
	rm -rf site .site.cache .site.old-* .build-* .preview .pytest_cache bench/out
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

## schema, guide: regenerate schema/*.schema.json and the README's authoring guide from generator/schema.py
schema: $(RUNTIME)
	$(PY) -m generator schema
guide: $(RUNTIME)
	$(PY) -m generator guide

# Debian's Chromium for the browser tests; never a downloaded browser.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx for the subpath hosting test (tests/test_hosting.py); only the binary is used.
nginx-bin:
	@test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# axe-core for the accessibility tests, pinned in package-lock.json; only `make test` needs Node.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## test: install what the tests need and run them all
test: $(TESTDEPS) browser nginx-bin $(AXE)
	$(PY) -m pytest -q tests

## bench: build a synthetic corpus and print figures (BENCH_PLANS=N sets the size)
bench: $(RUNTIME)
	$(PY) -m generator.bench
