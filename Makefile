# One entry point for newcomers, cron hosts and CI.  `make setup` is idempotent and quiet when done.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: chromium (JS-only lists, UI test), poppler (pdftotext fallback + CJK CMaps),
# LibreOffice Writer+Calc (DOC/WPS -> DOCX; XLS files for the sandbox) and python3-uno (one
# running LibreOffice per crawl instead of one per file), antiword (fallback), Tesseract + chi_sim (OCR),
# a CJK font (generated sandbox PDFs, screenshots), python3-venv (the virtualenv itself).
DEB_PACKAGES := chromium poppler-utils poppler-data libreoffice-writer-nogui libreoffice-calc-nogui python3-uno antiword \
	tesseract-ocr tesseract-ocr-chi-sim fonts-wqy-zenhei python3-venv
APT_STAMP := $(VENV)/.apt-done
PIP_STAMP := $(VENV)/.pip-done

.PHONY: setup demo test lint bench clean-output

setup: $(APT_STAMP) $(PIP_STAMP)

$(APT_STAMP): Makefile
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "setup: installing Debian packages:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@mkdir -p $(VENV) && touch $@

$(PIP_STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check -U pip
	@$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

demo: setup
	@$(BIN)/govreports crawl --sandbox
	@$(BIN)/govreports status
	@$(BIN)/govreports search 依申请公开 --limit 5

test: setup lint
	@$(BIN)/pytest -q

lint: setup
	@$(BIN)/ruff check --no-cache .
	@$(BIN)/ruff format --no-cache --check .

bench: setup
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done
