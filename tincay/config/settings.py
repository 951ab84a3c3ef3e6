"""Settings for TinCậy, read from the environment through typed helpers (tincay.common.env).

Modes:
- development / demo (default, ``TINCAY_DEBUG=1`` or unset ``TINCAY_ENV``): SQLite, console e-mail, a fixed
  development secret key that is refused in production.
- production (``TINCAY_ENV=production``): refuses to start without ``TINCAY_SECRET_KEY``, allowed hosts and
  ``TINCAY_AUDIT_KEYS``, and passes ``manage.py check --deploy``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from tincay.audit.keys import audit_keyring
from tincay.common.env import (
    POSTGRESQL,
    SQLITE_OPTIONS,
    ImproperlyConfiguredEnv,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "tincay"

ENVIRONMENT = env_str("TINCAY_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfiguredEnv("TINCAY_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("TINCAY_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfiguredEnv("TINCAY_DEBUG must be off in production")

_DEV_SECRET = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("TINCAY_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfiguredEnv(
            "TINCAY_SECRET_KEY is required in production (50+ random characters); refusing to start"
        )
    SECRET_KEY = _DEV_SECRET
elif PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfiguredEnv("TINCAY_SECRET_KEY must be a random value of at least 50 characters")

ALLOWED_HOSTS = env_list("TINCAY_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfiguredEnv("TINCAY_ALLOWED_HOSTS is required in production (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("TINCAY_CSRF_TRUSTED_ORIGINS")

# Audit trail: events are signed with HMAC-SHA256 under a key kept outside the database.
# TINCAY_AUDIT_KEYS="<id>:<secret>,<old id>:<old secret>": the first signs, the others verify older events.
# Required in production; development and tests derive a key labelled "dev-derived" from the secret key.
TINCAY_AUDIT_KEYS = audit_keyring(env_list("TINCAY_AUDIT_KEYS"), secret_key=SECRET_KEY, production=PRODUCTION)
# `manage.py flush` (tests, development) may lift the audit triggers for the wipe; production refuses to flush.
TINCAY_AUDIT_FLUSH_ALLOWED = not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "django_tasks_redis",
    "tincay.common",
    "tincay.accounts",
    "tincay.audit",
    "tincay.orgunits",
    "tincay.catalogue",
    "tincay.assessments",
    "tincay.improvement",
    "tincay.feedback",
    "tincay.rollout",
    "tincay.reports",
    "tincay.portal",
    "tincay.api",
    "tincay.demo",
    "tincay.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tincay.common.middleware.RefusalPages",  # 404/403 pages in the reader's language, also under DEBUG
    "axes.middleware.AxesMiddleware",  # last: turns a lockout found during log-in into its page or JSON
]

ROOT_URLCONF = "tincay.config.urls"
WSGI_APPLICATION = "tincay.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tincay.accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
DATA_DIR = Path(env_str("TINCAY_DATA_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": parse_database_url(DATABASE_URL)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tincay.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked account or address before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # rejects nothing: its password_changed hook revokes the person's API tokens on every path that sets a password
    {"NAME": "tincay.accounts.tokens.RevokeApiTokensOnPasswordChange"},
]


def _env_count(name: str, default: int, minimum: int = 1) -> int:
    value = env_int(name, default)
    if value < minimum:
        raise ImproperlyConfiguredEnv(f"{name} must be a whole number of at least {minimum}, got {value}")
    return value


# Log-in lockout (django-axes, counts in the database): per account and, with a higher limit, per address.
TINCAY_PROXY_COUNT = _env_count("TINCAY_PROXY_COUNT", 0, minimum=0)  # reverse proxies adding X-Forwarded-For
AXES_FAILURE_LIMIT = _env_count("TINCAY_LOGIN_FAILURE_LIMIT", 5)
TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT = _env_count("TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=_env_count("TINCAY_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own, not the pair
AXES_HANDLER = "tincay.accounts.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "tincay.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "tincay.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the window runs from the last failure before the lockout
AXES_VERBOSE = False

# API tokens and password reset requests
TINCAY_API_TOKEN_DAYS = _env_count("TINCAY_API_TOKEN_DAYS", 90)
TINCAY_PASSWORD_RESET_LIMIT = _env_count("TINCAY_PASSWORD_RESET_LIMIT", 5)
TINCAY_PASSWORD_RESET_WINDOW_MINUTES = _env_count("TINCAY_PASSWORD_RESET_WINDOW_MINUTES", 60)
TINCAY_SURVEY_ANSWER_LIMIT = _env_count("TINCAY_SURVEY_ANSWER_LIMIT", 20)  # per address and survey (feedback.throttle)


def _env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``60/min``: a count, a slash, then s, min, hour or day."""
    value = env_str(name, default).strip()
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfiguredEnv(f"{name} must look like 60/min (a count / s, min, hour or day), got {value!r}")
    return value


# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tincay.config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("TINCAY_STATIC_ROOT", str(DATA_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG  # development serves straight from the app folders; production runs collectstatic
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
# Evidence uploads: larger files are refused with a message naming the limit.
TINCAY_MAX_UPLOAD_BYTES = env_int("TINCAY_MAX_UPLOAD_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files (evidence, documents, imports, snapshots, audit checkpoints): the data folder, or S3-compatible object
# storage (django-storages) when TINCAY_S3_BUCKET is set, which every web and worker process then shares.
TINCAY_S3_BUCKET = env_str("TINCAY_S3_BUCKET")
if TINCAY_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": TINCAY_S3_BUCKET,
            "endpoint_url": env_str("TINCAY_S3_ENDPOINT_URL") or None,
            "region_name": env_str("TINCAY_S3_REGION", "us-east-1"),
            "access_key": env_str("TINCAY_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("TINCAY_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("TINCAY_S3_PREFIX").strip("/"),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,  # files leave only through our permission-checked views anyway
            "file_overwrite": False,  # a clash gets another name, as on the local disk (checkpoints never overwrite)
            "max_memory_size": 5 * 1024 * 1024,
            "addressing_style": env_str("TINCAY_S3_ADDRESSING_STYLE", "path"),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "tincay.common.staticfiles.ManifestStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

_MAIL_BACKEND = env_str(
    "TINCAY_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env_str("TINCAY_EMAIL_HOST", "localhost"),
                "port": env_int("TINCAY_EMAIL_PORT", 25),
                "username": env_str("TINCAY_EMAIL_USER"),
                "password": env_str("TINCAY_EMAIL_PASSWORD"),
                "use_tls": env_bool("TINCAY_EMAIL_TLS", False),
            }
            if _MAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("TINCAY_DEFAULT_FROM_EMAIL", "TinCậy <no-reply@localhost>")

# Background jobs (django.tasks): the database queue by default, worked by `manage.py db_worker`; the periodic
# jobs (reminders) can also run from cron (`manage.py send_reminders`). TINCAY_TASKS_BACKEND=immediate runs each
# job inline in the request that enqueues it (tests, a one-process demo).
# TINCAY_TASKS_BACKEND=redis keeps the queue in Redis (django-tasks-redis): several workers take jobs from it, and
# a job whose worker died is taken again by another after TINCAY_TASKS_CLAIM_SECONDS. `manage.py worker` runs the
# worker of whichever backend is configured.
REDIS_URL = env_str("REDIS_URL")
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_redis.RedisTaskBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TINCAY_TASKS_BACKEND = env_str("TINCAY_TASKS_BACKEND", "database")
if TINCAY_TASKS_BACKEND not in _TASKS_BACKENDS:
    raise ImproperlyConfiguredEnv(
        f"TINCAY_TASKS_BACKEND must be one of {', '.join(_TASKS_BACKENDS)}, got {TINCAY_TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[TINCAY_TASKS_BACKEND], "QUEUES": ["default"]}}
# Longer than the longest job (a PDF conversion stops after 120 s): a running job is never taken twice. Redis hands
# the job of a dead worker to another after this long; a document still running after it is taken over by the
# next delivery of its job, or queued again by the worker's sweep (reports.generation), whatever the backend.
TINCAY_TASKS_CLAIM_SECONDS = _env_count("TINCAY_TASKS_CLAIM_SECONDS", 600, minimum=30)
if TINCAY_TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfiguredEnv("TINCAY_TASKS_BACKEND=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    TASKS["default"]["OPTIONS"] = {
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": env_str("TINCAY_TASKS_KEY_PREFIX", "tincay_tasks"),
        "REDIS_CLAIM_TIMEOUT": TINCAY_TASKS_CLAIM_SECONDS,
        "REDIS_MAX_DELIVERIES": 3,
        "REDIS_SOCKET_CONNECT_TIMEOUT": 2,
        "REDIS_HEALTH_CHECK_INTERVAL": 30,
    }

# Cache (rate-limit counts, sessions' fast copy): Redis shared by every process when REDIS_URL is set, answering
# as an empty cache while Redis is down (tincay.common.cache); local memory otherwise (one process only).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "tincay.common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("TINCAY_CACHE_KEY_PREFIX", "tincay"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    # sessions in the database, read through Redis: a Redis restart logs nobody out
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Several web and worker processes share nothing but the database, Redis and file storage. SQLite and local-memory
# counts serve one process on one machine: production refuses them unless TINCAY_SINGLE_PROCESS says it is one
# (and then gunicorn refuses more than one worker: tincay/config/gunicorn.py).
TINCAY_SINGLE_PROCESS = env_bool("TINCAY_SINGLE_PROCESS", False)
if PRODUCTION and not TINCAY_SINGLE_PROCESS:
    if DATABASES["default"]["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfiguredEnv(
            "Production runs several processes: DATABASE_URL must name PostgreSQL (postgresql://…). "
            "SQLite serves one process on one machine: set TINCAY_SINGLE_PROCESS=1 to run that way"
        )
    if not REDIS_URL:
        raise ImproperlyConfiguredEnv(
            "Production runs several processes: REDIS_URL is required (cache, sessions and rate limits shared by "
            "every process); set TINCAY_SINGLE_PROCESS=1 to run one process with local memory"
        )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tincay.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["tincay.accounts.throttles.AnonThrottle", "tincay.accounts.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _env_rate("TINCAY_API_ANON_RATE", "60/min"),
        "user": _env_rate("TINCAY_API_USER_RATE", "600/min"),
        "token": _env_rate("TINCAY_API_TOKEN_RATE", "10/min"),
    },
    "NUM_PROXIES": TINCAY_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tincay.api.pagination.CappedLimitOffset",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tincay.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TinCậy API",
    "DESCRIPTION": "REST API of TinCậy (TCVN ISO 18091:2020 for local government). Same permission rules as the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: nothing is loaded from the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # self, scorer and final levels share one choice set: one enum in the schema
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "tincay.assessments.choices.Level",
        "UnitLevelEnum": "tincay.orgunits.choices.Level",
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # development: production sets it (below)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response: only our own static files, no inline script or style, no framing.
# Pages pass data to scripts through json_script blocks; styles live in static stylesheets (tincay/static).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TINCAY_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-" cookies are refused by browsers unless sent over HTTPS for this exact host (no Domain, Path=/): a
    # sibling sub-domain cannot plant or read them. Pages carry the CSRF token themselves (hx-headers, forms), so
    # no script needs to read its cookie.
    SESSION_COOKIE_NAME = "__Host-tincay-session"
    CSRF_COOKIE_NAME = "__Host-tincay-csrf"
    CSRF_COOKIE_HTTPONLY = True
    SECURE_HSTS_SECONDS = env_int("TINCAY_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TINCAY_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every successful sign-in at INFO; failures and lockouts (WARNING) are what operators need
        "axes": {"level": "WARNING"},
    },
}

# /.well-known/security.txt (RFC 9116): where to report a vulnerability. Not served until set (`check --deploy`
# warns in production): a made-up address would send reports nowhere.
TINCAY_SECURITY_CONTACT = env_list("TINCAY_SECURITY_CONTACT")  # e.g. mailto:security@haiphong.gov.vn

# Shown on every page in demo mode so nobody mistakes demo data for real results.
DEMO_MODE = env_bool("TINCAY_DEMO", not PRODUCTION)
