# labelform: `make run` serves a demo, `make test` runs the whole suite.
# Both start from a fresh clone and are safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench serve install chromium lint clean

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
		trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production mode on this machine: DEBUG off, static files collected and served
# by WhiteNoise (compressed, hashed names), gunicorn with 2*CPU+1 workers, and
# the callback worker. Set SECRET_KEY (else one is generated into .secret_key)
# and DATABASE_URL for PostgreSQL. SECURE_COOKIES=1 behind TLS.
serve: install
	@[ -n "$$SECRET_KEY" ] || [ -s .secret_key ] || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" DEBUG=0 SECURE_COOKIES="$${SECURE_COOKIES:-0}"; \
		$(PY) manage.py migrate --noinput && \
		$(PY) manage.py collectstatic --noinput -v0 && \
		WORKERS="$${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))}"; \
		echo "labelform (production mode) on http://127.0.0.1:$(PORT)/ with $$WORKERS gunicorn workers"; \
		$(PY) manage.py db_worker --queue-name '*' --no-reload & DBW=$$!; \
		trap 'kill $$DBW 2>/dev/null' EXIT INT TERM; \
		$(VENV)/bin/gunicorn project.wsgi:application --bind 127.0.0.1:$(PORT) \
			--workers "$$WORKERS" --access-logfile - --graceful-timeout 20

test: install chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

bench: install chromium
	@for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; \
		$(PY) "$$script" || exit 1; \
	done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
