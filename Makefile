# The verbs people type. `make run` and `make test` each do all the set-up they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEEDS  ?= seeds

.PHONY: run test test-fast install system-deps ingest serve lint eval bench-qa fit wipe

run: install ## install, ingest seeds/ if new or changed, open the chat UI
	$(BIN)/kb ingest $(SEEDS)
	$(BIN)/kb serve

test: install system-deps lint ## install, lint, type-check, run every test (unit and end-to-end)
	$(BIN)/pytest -q -rsx

test-fast: lint ## install, lint, type-check, run only tests/unit (pure functions: no model, no Chroma; seconds)
	$(BIN)/pytest -q -rsx tests/unit

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,ocr]'
	touch $@

# Debian packages the tests need: Chromium for the browser tests, a CJK font for making Chinese PDFs
# and scans, LibreOffice (no GUI, ~240 MB) to read old .doc/.ppt/.xls files.
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v soffice >/dev/null \
		|| ! ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium fonts-wqy-microhei \
		&& $(SUDO) apt-get install -y -q --no-install-recommends $(OFFICE_PACKAGES); \
	fi

ingest: install
	$(BIN)/kb ingest $(SEEDS)

serve: install
	$(BIN)/kb serve

lint: install ## ruff and mypy
	$(BIN)/ruff check kb ingest evals web ui kbcli tests benchmarks
	$(BIN)/mypy kb ingest evals web ui kbcli

eval: install
	$(BIN)/kb ingest $(SEEDS)
	$(BIN)/kb eval tests/data/eval/dev.jsonl --baselines

BENCH_CACHE ?= data/bench

bench-qa: install ## every public benchmark set (../shared/bench) and the seeds side by side, with baselines
	$(BIN)/python benchmarks/bench_qa.py --cache $(BENCH_CACHE)

fit: install ## refit kb/weights.json (answer selection and refusals) on the dev splits of all sets
	$(BIN)/python benchmarks/fit_weights.py --cache $(BENCH_CACHE)

wipe: ## delete the local knowledge base (KB_DATA_DIR, default ./data)
	rm -rf $${KB_DATA_DIR:-./data}
