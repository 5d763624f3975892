# leaksearch: `make run` indexes corpus_sample/ and serves the UI; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= corpus_sample
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 5000
CODE := indexer search_web tests tools bench stress

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tesseract with Simplified and Traditional Chinese reads screenshots and scanned pages;
# the browser tests drive Debian's Chromium through Playwright; a CJK font (WenQuanYi Micro Hei,
# 1.6 MB, against 57 MB for fonts-noto-cjk) shows Chinese in the browser and its screenshots.
# RapidOCR's OpenCV (opencv-python) links libGL and GLib, which slim Debian images lack.
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra chromium fonts-wqy-microhei libgl1 libglib2.0-0

.PHONY: help system install run index serve test bench stress lint format clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(BIN)/leaksearch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

system: ## Install the Debian packages leaksearch uses (Tesseract OCR, Chromium, a CJK font, libGL), if missing
	@{ tesseract --list-langs 2>/dev/null | grep -q chi_tra && test -x /usr/bin/chromium && \
		fc-list :lang=zh family 2>/dev/null | grep -q . && \
		ldconfig -p | grep -q 'libGL\.so\.1' && ldconfig -p | grep -q 'libglib-2\.0\.so\.0'; } || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES); }

install: system $(BIN)/leaksearch ## Install system packages, the virtualenv and leaksearch

index: install ## Index CORPUS (default corpus_sample/) into INDEX (default ./index), incrementally
	$(BIN)/leaksearch index $(CORPUS) --index $(INDEX)

run: index ## Index corpus_sample/ and serve the UI on http://HOST:PORT (127.0.0.1:5000)
	$(BIN)/leaksearch serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install ## Run the whole test suite
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/pytest

bench: install ## Benchmark leaksearch against two peers on a 100,000-document corpus
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run

stress: install ## Hostile files, load during a reindex and repeated kill -9 (slow)
	$(BIN)/python -m stress.load
	$(BIN)/python -m stress.crash

lint: install ## Lint and check formatting
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

format: install ## Reformat the code
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

clean: ## Remove the virtualenv and the index
	rm -rf $(VENV) $(INDEX) .pytest_cache
