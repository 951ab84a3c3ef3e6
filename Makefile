# TinCậy — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-$(shell cat uv.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/tincay
# Test processes (pytest-xdist): one per core, at most 4; TEST_WORKERS=0 runs in this process (for pdb).
TEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(TEST_WORKERS) --maxprocesses 4

.PHONY: run test install migrate demo lint format check-gates pytest test-pg bench loadtest faults messages clean help

help:
	@echo "make run    - install, migrate, load framework/units/demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install and run every gate and the whole test suite"
	@echo "make bench  - benchmarks (load times, query counts)"
	@echo "make loadtest - 100 people on gunicorn + PostgreSQL + Redis (locust), then 300 saving on deadline day"
	@echo "make faults - the same stack under load while PostgreSQL, Redis, a worker or file storage fails"
	@echo "make lint   - ruff lint and format check"

$(STAMP):
	@PYBIN=$$(sh scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$PYBIN"; \
	  "$$PYBIN" -m venv $(VENV) || { echo "Could not create a virtual environment with $$PYBIN (Debian: apt-get install python3-venv)."; exit 1; }; \
	fi; \
	[ -x $(VENV)/bin/uv ] || $(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.8 \
	  || { echo "Could not install uv from PyPI: check the network or proxy settings."; exit 1; }; \
	$(VENV)/bin/uv sync --frozen --quiet --python $(PY) || { echo "Installing the locked dependencies failed (see above)."; exit 1; }
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

migrate: install
	@$(MANAGE) migrate --no-input -v0

demo: migrate
	@$(MANAGE) seed_demo

run: demo
	@echo ""; echo "TinCậy: http://$(HOST):$(PORT)  (demo accounts: see README.md, password TinCay@2026)"; echo ""
	@$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

check-gates: install
	@$(MANAGE) check --fail-level WARNING
	@$(MANAGE) makemigrations --check --dry-run > /dev/null || { echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }
	@$(VENV)/bin/lint-imports --no-cache
	@$(VENV)/bin/bandit -r tincay -q -ll 2>/dev/null || { echo "bandit: a finding above low (mark reviewed ones with # nosec and a comment saying why)"; exit 1; }
	@TINCAY_ENV=production TINCAY_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  TINCAY_AUDIT_KEYS=gate:$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))') \
	  TINCAY_ALLOWED_HOSTS=tincay.example.gov.vn DATABASE_URL=postgresql://tincay@db.example/tincay \
	  REDIS_URL=redis://redis.example:6379/0 TINCAY_TASKS_BACKEND=redis TINCAY_S3_BUCKET=tincay-files \
	  TINCAY_SECURITY_CONTACT=mailto:security@example.gov.vn \
	  $(MANAGE) check --deploy --fail-level WARNING

pytest: install
	@$(PYTEST) $(PYTEST_ARGS)

test: lint check-gates pytest

test-pg: install
	@DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS)

bench: migrate
	@$(PY) -m bench $(BENCH_ARGS)

# Load and faults: the local PostgreSQL (TINCAY_LOAD_PG_ADMIN), redis-server, moto; LOADTEST_ARGS="--quick" etc.
loadtest: install
	@$(PY) -m loadtest load $(LOADTEST_ARGS)

faults: install
	@$(PY) -m loadtest faults $(FAULTS_ARGS)

messages: install
	@$(MANAGE) makemessages -l vi -l en --no-location --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='tests/*'
	@$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var test-artifacts
