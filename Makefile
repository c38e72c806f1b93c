# Fangkong — the two commands a new machine needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FK := $(BIN)/fangkong
export FANGKONG_VAR_DIR ?= $(CURDIR)/var
export PYENV_VERSION ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv versions --bare 2>/dev/null | grep -E '^3\.1[3-9]' | sort -rV | head -n1)

.PHONY: help setup run test lint typecheck messages system-deps pytest-sqlite pytest-postgres bench clean

help:
	@echo "make run   – set up, load the demo, serve on http://127.0.0.1:8000"
	@echo "make test  – set up, lint, type-check, tests on SQLite and PostgreSQL, browser tests"
	@echo "make bench – volume benchmarks (see docs/benchmarks.md)"

$(VENV)/.installed: pyproject.toml
	@PYTHON=$$(scripts/find-python) && echo "Using $$PYTHON" && \
	  { [ -x $(PY) ] || $$PYTHON -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	@cd fangkong && ../$(FK) compilemessages --ignore=.venv -v 0

setup: $(VENV)/.installed node_modules/.installed messages
	@mkdir -p $(FANGKONG_VAR_DIR)
	@$(FK) init-keys
	@scripts/apt-install-if-missing /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc fonts-noto-cjk

run: setup
	$(FK) migrate --noinput -v 0
	$(FK) createcachetable
	$(FK) collectstatic --noinput -v 0
	$(FK) demo
	@echo; echo "Demo accounts (username role node; password at the end):"; cat $(FANGKONG_VAR_DIR)/demo-accounts.txt
	@echo; echo "Fangkong is at http://127.0.0.1:8000 — stop with Ctrl-C."
	@trap 'kill 0' INT TERM EXIT; \
	  $(FK) db_worker --interval 1 -v 0 & \
	  $(FK) scheduler & \
	  $(BIN)/gunicorn fangkong.wsgi --bind 127.0.0.1:8000 --worker-class gthread --workers 2 --threads 8 --access-logfile - --logger-class fangkong.core.logscrub.GunicornLogger

lint: $(VENV)/.installed
	$(BIN)/ruff check fangkong tests benchmarks
	$(BIN)/ruff format --check fangkong tests benchmarks
	$(BIN)/lint-imports  # the floors of the house (pyproject.toml [tool.importlinter])

typecheck: $(VENV)/.installed
	$(BIN)/mypy fangkong

# Debian packages the tests drive for real: Chromium (browser tests), R with EpiEstim
# (agreement of our Rt), CJK fonts (PDFs), Java (Spark). Installed once, before pytest.
system-deps:
	@scripts/apt-install-if-missing /usr/bin/chromium chromium
	@scripts/apt-install-if-missing /usr/lib/R/site-library/EpiEstim r-base-core r-cran-epiestim
	@scripts/apt-install-if-missing /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc fonts-noto-cjk
	@command -v java >/dev/null || scripts/apt-install openjdk-17-jre-headless

pytest-sqlite: setup system-deps
	env -u DATABASE_URL $(BIN)/pytest -n 2 -p no:cacheprovider

pytest-postgres: setup system-deps
	DATABASE_URL=$$(scripts/pg-up) $(BIN)/pytest -n 2 -p no:cacheprovider

test: setup lint typecheck pytest-sqlite pytest-postgres

bench: setup
	DATABASE_URL=$$(scripts/pg-up) $(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var/static
