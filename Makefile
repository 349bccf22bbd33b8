# labelform: `make run` serves a demo, `make test` runs the whole suite.
# Both start from a fresh clone and are safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench serve install chromium sanitize-html-ref lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "labelform is starting on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo ""
	@DEBUG=1 $(PY) manage.py db_worker --queue-name '*' >/dev/null 2>&1 & WORKER=$$!; \
		$(PY) manage.py resend_callbacks --every 60 >/dev/null 2>&1 & RESEND=$$!; \
		trap 'kill $$WORKER $$RESEND 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production mode on this machine: DEBUG off, static files collected and served
# by WhiteNoise (compressed, hashed names), gzip for HTML, gunicorn with
# 2*CPU+1 sync workers (WEB_CONCURRENCY overrides), and CALLBACK_WORKERS
# callback workers (db_worker, default 1). Set SECRET_KEY (else one is generated
# into .secret_key) and DATABASE_URL for PostgreSQL. SECURE_COOKIES=1 behind
# TLS. Several machines: docs/deploy.md.
CALLBACK_WORKERS ?= 1
serve: install
	@[ -n "$$SECRET_KEY" ] || [ -s .secret_key ] || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" DEBUG=0 SECURE_COOKIES="$${SECURE_COOKIES:-0}"; \
		$(PY) manage.py migrate --noinput && \
		$(PY) manage.py collectstatic --noinput -v0 && \
		WORKERS="$${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))}"; \
		echo "labelform (production mode) on http://127.0.0.1:$(PORT)/ with $$WORKERS gunicorn workers and $(CALLBACK_WORKERS) callback worker(s)"; \
		PIDS=""; \
		for i in $$(seq 1 $(CALLBACK_WORKERS)); do \
			$(PY) manage.py db_worker --queue-name '*' --no-reload & PIDS="$$PIDS $$!"; \
		done; \
		$(PY) manage.py resend_callbacks --every 60 & PIDS="$$PIDS $$!"; \
		trap 'kill $$PIDS 2>/dev/null' EXIT INT TERM; \
		$(VENV)/bin/gunicorn project.wsgi:application --bind 127.0.0.1:$(PORT) \
			--workers "$$WORKERS" --access-logfile - --graceful-timeout 20

# The sanitizer is compared with sanitize-html (the spec's own sanitizer) when
# Node is on the machine; without npm that one comparison is skipped, with a reason.
sanitize-html-ref:
	@if command -v npm >/dev/null 2>&1 && [ ! -d tests/security/node/node_modules/sanitize-html ]; then \
		echo "Installing sanitize-html (reference for tests/security/test_fidelity.py)..."; \
		npm install --silent --no-audit --no-fund --prefix tests/security/node sanitize-html@2 >/dev/null 2>&1 \
			|| echo "  npm install failed: the sanitize-html comparison will be skipped"; \
	fi

test: install chromium sanitize-html-ref
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

# Every bench/*.py prints its figures (medians); a failing script is reported
# and the others still run. The server benches need PostgreSQL (BENCH_PG_SERVER,
# default postgres://postgres@127.0.0.1:5432) and skip without it.
# export_memory.py runs at EXPORT_MEMORY_TASKS tasks (its default, 100,000,
# takes several minutes; run it by hand for that).
EXPORT_MEMORY_TASKS ?= 10000
bench: install chromium
	@failed=""; \
	for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		args=""; [ "$$script" = bench/export_memory.py ] && args="$(EXPORT_MEMORY_TASKS)"; \
		echo "== $$script $$args"; start=$$(date +%s); \
		timeout 900 $(PY) "$$script" $$args || failed="$$failed $$script"; \
		echo "   ($$(( $$(date +%s) - start )) s)"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed:$$failed"; exit 1; fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
