"""labelform settings: everything that varies between deployments comes from the environment.

Variables (all optional for local development):
  DEBUG            "1"/"true" to enable debug mode (default: off)
  SECRET_KEY       required when DEBUG is off; a fixed dev key is used otherwise
  ALLOWED_HOSTS    comma-separated host names (default: localhost,127.0.0.1 and testserver)
  DATABASE_URL     e.g. postgres://user@127.0.0.1:5432/labelform (default: SQLite ./db.sqlite3)
  CONN_MAX_AGE     seconds a database connection is kept between requests (default 60)
  DISABLE_SERVER_SIDE_CURSORS  "1" behind PgBouncer in transaction mode (docs/deploy.md)
  LEASE_MINUTES    how long a worker holds a task before it returns to the queue (default 30)
  EMAIL_URL-less mail settings use Django's EMAIL_* names directly (EMAIL_HOST, ...)
  Security (docs/security.md lists what makes `manage.py check --deploy` clean):
  SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS,
  SECURE_HSTS_PRELOAD, SECURE_PROXY_SSL_HEADER, SECURE_COOKIES,
  IFRAME_ALLOWED_HOSTS, LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_SECONDS
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: expected a boolean (1/0/true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: expected an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a fixed development key is used so that `manage.py ...`
# works on a fresh clone; `make serve` refuses to start without a real one and
# `manage.py check --deploy` flags the development key (security.W009).
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-labelform-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "labeling",
    "textcollection",
    "ner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "labeling.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "labeling.roles.context",
            ],
        },
    },
    {
        # Only for the TextCollection body (textcollection/jinja2/): rendered on
        # every page view and round trip, where compiled Jinja2 macros are
        # several times faster than DTL partials (docs/performance.md).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": True, "environment": "textcollection.jinja.environment"},
    },
]

WSGI_APPLICATION = "project.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Behind PgBouncer in transaction mode, named (server-side) cursors break
# (docs/deploy.md): set DISABLE_SERVER_SIDE_CURSORS=1 there.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the callback worker share the
    # file without "database is locked" errors; IMMEDIATE transactions make
    # SQLite take the write lock up front, which the queue relies on.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests normally get an in-memory database; concurrency tests need a file
    # (shared-cache memory databases answer "table is locked" instead of
    # waiting), see tests/workflow/test_concurrency.py.
    if os.environ.get("SQLITE_TEST_FILE"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["SQLITE_TEST_FILE"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or os.environ.get("PYTEST_VERSION")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "callbacks"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "labelform@localhost")

# Security headers. The CSP itself is set by labeling.middleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", not DEBUG and not os.environ.get("PYTEST_VERSION")
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy (docs/security.md): trust its X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Failed logins allowed per user name + client address in LOGIN_LOCKOUT_SECONDS
# before the login form refuses further tries (labeling/auth_views.py).
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)

# labelform's own settings
LEASE_MINUTES = env_int("LEASE_MINUTES", 30)
# Share of each worker's completed tasks picked for internal review (0..1).
REVIEW_SAMPLE_RATE = float(os.environ.get("REVIEW_SAMPLE_RATE") or 0.1)
# Callback delivery (docs/callbacks.md): per-attempt timeout, and retries with
# exponential backoff (base * 2^n, capped, jittered) for up to the window.
CALLBACK_TIMEOUT_SECONDS = env_int("CALLBACK_TIMEOUT_SECONDS", 10)
CALLBACK_RETRY_BASE_SECONDS = env_int("CALLBACK_RETRY_BASE_SECONDS", 30)
CALLBACK_RETRY_MAX_SECONDS = env_int("CALLBACK_RETRY_MAX_SECONDS", 3600)
CALLBACK_RETRY_WINDOW_HOURS = env_int("CALLBACK_RETRY_WINDOW_HOURS", 24)
# Largest request body the /v1 API accepts (bytes); bigger bodies get 413 before parsing.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
# Hosts an https iframe attachment may point at; empty means any https host.
IFRAME_ALLOWED_HOSTS = env_list("IFRAME_ALLOWED_HOSTS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
