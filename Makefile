# Công khai: the two commands a newcomer runs are `make site` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
AXE := node_modules/axe-core/axe.min.js
PORT ?= 8000

.PHONY: site provinces shard assemble site-by-shard FORCE release check serve new-plan new-unit import import-report results-template import-results clean test bench schema guide browser nginx-bin vi-words fonts screenshots

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

# Building by province shards (docs/shards.md): each province on its own (a CI matrix job, or `make -j`), then the
# national step. The result is the same site as `make site`.
SHARDS_DIR ?= .shards
PROVINCES = $(patsubst content/%/unit.yml,%,$(wildcard content/*/unit.yml))

## provinces: the ids of the provinces in content/, one per line (PROVINCES_JSON=1: as a JSON list, for a CI matrix)
provinces:
ifdef PROVINCES_JSON
	@python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' $(PROVINCES)
else
	@printf '%s\n' $(PROVINCES)
endif

## shard PROVINCE=ha-tinh: build one province's pages, data and search index into $(SHARDS_DIR)/<province>
shard: $(RUNTIME)
	@test -n "$(PROVINCE)" || { echo "Dùng: make shard PROVINCE=ha-tinh (các tỉnh: make provinces)"; exit 2; }
	$(PY) -m generator build --shard "$(PROVINCE)" --out "$(SHARDS_DIR)/$(PROVINCE)" $(if $(FRESH),--fresh)

## assemble: the national step: the portal-wide pages, and each province's folders from $(SHARDS_DIR)/<province>, into site/
assemble: $(RUNTIME)
	$(PY) -m generator build --assemble "$(SHARDS_DIR)" --out site $(if $(FRESH),--fresh)

## site-by-shard: every province's shard (`make -j2 site-by-shard`: two at a time), then the national step
site-by-shard: $(addprefix shard-,$(PROVINCES))
	$(MAKE) assemble

shard-%: $(RUNTIME) FORCE
	$(PY) -m generator build --shard "$*" --out "$(SHARDS_DIR)/$*" $(if $(FRESH),--fresh)

FORCE:

## release [DATE=yyyy-mm-dd]: tag the current commit as the data release of DATE (phien-ban/DATE; docs/releases.md), then build site/ with every release
release: $(RUNTIME)
	$(PY) -m generator release --out site $(if $(DATE),--date "$(DATE)") $(if $(FRESH),--fresh)

## check: validate content only (fast; used by the pre-commit hook)
check: $(RUNTIME)
	@$(PY) -m generator check

## serve: live preview for editors, rebuilt when content or templates change
serve: $(RUNTIME)
	$(PY) -m generator serve --port $(PORT)

## new-plan UNIT=ha-tinh/duc-tho YEAR=2024 [SLUG=ke-hoach]: scaffold a plan file (YEAR: the plan period's first year, not the signing year)
new-plan: $(RUNTIME)
	@test -n "$(UNIT)" -a -n "$(YEAR)" || { echo "Dùng: make new-plan UNIT=ha-tinh/duc-tho YEAR=2024 [SLUG=ke-hoach] (YEAR: năm đầu của kỳ kế hoạch, không phải năm ký)"; exit 2; }
	$(PY) -m generator new-plan $(UNIT) $(YEAR) --slug $(or $(SLUG),ke-hoach) --minimal

## new-unit PATH=ha-tinh/duc-tho NAME="Huyện Đức Thọ" LEVEL=huyen [CODE=…] [VALID_FROM=dd/mm/yyyy] [PREDECESSORS=a,b]: create unit.yml
# PATH here is the unit's path (as the issue names it); the recipe calls nothing through the shell's PATH.
new-unit: $(RUNTIME)
	@test -n "$(PATH)" -a -n "$(NAME)" -a -n "$(LEVEL)" || { echo 'Dùng: make new-unit PATH=ha-tinh/duc-tho NAME="Huyện Đức Thọ" LEVEL=huyen'; exit 2; }
	$(PY) -m generator new-unit "$(PATH)" --name "$(NAME)" --level "$(LEVEL)" $(if $(CODE),--code "$(CODE)") $(if $(VALID_FROM),--valid-from "$(VALID_FROM)") $(if $(PREDECESSORS),--predecessors "$(PREDECESSORS)")

## import SOURCE=van-ban.pdf UNIT=ha-tinh/duc-tho [SLUG=2025-ten]: draft a plan from a .pdf, .docx or .txt
import: $(RUNTIME) vi-words
	@test -n "$(SOURCE)" -a -n "$(UNIT)" || { echo "Dùng: make import SOURCE=van-ban.pdf UNIT=ha-tinh/duc-tho [SLUG=2025-ten]"; exit 2; }
	$(PY) -m generator import "$(SOURCE)" "$(UNIT)" $(if $(SLUG),--slug "$(SLUG)")

## import-report: import the seed plans' source texts and compare with their hand transcription (figures → docs/NHAP_VAN_BAN.md)
import-report: $(RUNTIME) vi-words
	$(PY) -m generator import-report --write docs/NHAP_VAN_BAN.md

## results-template PLAN=ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so OUT=ket-qua.csv: a spreadsheet (CSV) of the plan's targets, columns dien_… for editors to fill with results
results-template: $(RUNTIME)
	@test -n "$(PLAN)" -a -n "$(OUT)" || { echo "Dùng: make results-template PLAN=ha-tinh/cam-xuyen/2021-chuong-trinh-chuyen-doi-so OUT=ket-qua.csv"; exit 2; }
	$(PY) -m generator results-template "$(PLAN)" --out "$(OUT)"

## import-results FILE=ket-qua.csv [PLAN=…]: check every row of a filled results-template and add its results to <plan>.ket-qua.yml (nothing written if any row is wrong)
import-results: $(RUNTIME)
	@test -n "$(FILE)" || { echo "Dùng: make import-results FILE=ket-qua.csv [PLAN=<mã kế hoạch>]"; exit 2; }
	$(PY) -m generator import-results "$(FILE)" $(if $(PLAN),--plan "$(PLAN)")

# Debian's Vietnamese syllable list for repairing lost letters (the importer uses published content without it).
vi-words:
	@test -f /usr/share/hunspell/vi_VN.dic || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-vi >/dev/null; } || echo "(không cài được hunspell-vi: dùng từ vựng của content/)"

# DejaVu Sans (Vietnamese glyphs) for the test that writes a PDF.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; }

## clean: remove what the build made
clean:
	rm -rf site .shards .site.cache .site.builds .site.releases .site.old-* .build-* .preview .pytest_cache bench/out
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

## schema, guide: regenerate schema/*.schema.json and the authoring guide (docs/huong-dan-soan-thao.md) from generator/content/schema.py
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

## test: install what the tests need, check style and lint (ruff, pyproject.toml), and run the tests
## (a worker per core; a test file stays on one worker, which builds its sites once)
test: $(TESTDEPS) browser nginx-bin fonts vi-words $(AXE)
	$(PY) -m ruff check generator bench tests
	$(PY) -m ruff format --check generator bench tests
	$(PY) -m pytest -q -n auto --dist loadfile tests

## bench: build a synthetic corpus and print figures (BENCH_PLANS=N sets the size)
bench: $(RUNTIME)
	$(PY) -m bench

## screenshots: photograph the Đức Cơ plan page at 390 and 1280 px (docs/screenshots/plan-*.png; seeds built in a temporary folder)
screenshots: $(TESTDEPS) browser
	$(PY) tools/screenshots.py
