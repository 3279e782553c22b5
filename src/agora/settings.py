"""Settings, read from the environment in one place.

Every value has a one-line help text beside it. Nothing secret lives in the repo:
production refuses to start without AGORA_SECRET_KEY. The demo and the test suite
set AGORA_DEMO=1 or DEBUG themselves.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from agora.core.localenv import local_env_apply

# AGORA_ENV_FILE: a settings file read first (default var/agora.env, which `agora demo load`
# writes); the environment wins over it, and an empty value reads none.
local_env_apply()

BASE_DIR = Path(__file__).resolve().parent  # src/agora
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout
# AGORA_VAR_DIR: where the SQLite database, keys and collected static files live.
VAR_DIR = Path(environ.Env().str("AGORA_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()

# AGORA_DEMO: turn on demo conveniences (DEBUG, a throwaway secret key, console mail).
DEMO = env.bool("AGORA_DEMO", default=False)
# DEBUG: Django debug pages; never on in production.
DEBUG = env.bool("DEBUG", default=DEMO)

# AGORA_SECRET_KEY: Django's signing key; required unless AGORA_DEMO is on.
SECRET_KEY = env.str("AGORA_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEMO or DEBUG:
        SECRET_KEY = "agora-demo-only-not-secret-" + "x" * 40
    else:
        raise ImproperlyConfigured(
            "AGORA_SECRET_KEY is not set. Set it to a long random string, "
            "or set AGORA_DEMO=1 to run the demo."
        )

# AGORA_BASE_URL: the public URL of this platform; API tokens must name it as `aud`.
BASE_URL = env.str("AGORA_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# ALLOWED_HOSTS: host names this platform answers to (comma separated).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
# CSRF_TRUSTED_ORIGINS: origins allowed to post forms when behind a proxy.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# AGORA_SERVICE_NAME: the name in the page header.
SERVICE_NAME = env.str("AGORA_SERVICE_NAME", default="Agora")
# AGORA_PHASE: the phase shown in the phase banner (alpha, beta or empty).
SERVICE_PHASE = env.str("AGORA_PHASE", default="beta")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "agora.core",
    "agora.audit",
    "agora.people",
    "agora.organizations",
    "agora.access",
    "agora.records",
    "agora.topics",
    "agora.search",
    "agora.content",
    "agora.catalog",
    "agora.cases",
    "agora.notifications",
    "agora.applications",
    "agora.answers",
    "agora.opendata",
    "agora.challenges",
    "agora.portal",
    "agora.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "agora.core.middleware.ApiProblemMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agora.organizations.middleware.RequireMemberTwoFactorMiddleware",
]

ROOT_URLCONF = "agora.urls"
WSGI_APPLICATION = "agora.wsgi.application"

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
                "agora.core.context_processors.service",
                "agora.organizations.context_processors.membership",
                "agora.portal.context_processors.unread",
            ],
        },
    },
]

# DATABASE_URL: where the data lives; SQLite under var/ by default, postgres://… for real use.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'agora.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with its placeholder rewriting cached (agora.core.sqlite3).
    DATABASES["default"]["ENGINE"] = "agora.core.sqlite3"
    # WAL lets readers and one writer work at once; IMMEDIATE avoids lock upgrades
    # failing mid-transaction when several processes write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# AGORA_PG_JIT: PostgreSQL's JIT compilation (off by default). It pays off for long
# analytic queries, not for the short, many queries of a web app: on the access
# filter's category page it added ~550 ms to a 190 ms query (docs/benchmarks.md).
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "AGORA_PG_JIT", default=False
):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()
# AGORA_PG_PREPARED: server-side parameters, so psycopg prepares a statement once it
# has run twice on a connection (on by default). PostgreSQL otherwise plans the access
# filter's grant subqueries afresh on every call, ~0.7 ms for a query that runs in 0.1
# (docs/benchmarks.md). Turn it off behind PgBouncer in transaction pooling mode.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "AGORA_PG_PREPARED", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
# AGORA_DB_CONN_MAX_AGE: seconds a web process keeps its database connection (600; 0
# opens one per request). Kept connections skip the connection set-up and keep
# PostgreSQL's prepared statements, which is what makes them pay (docs/benchmarks.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("AGORA_DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions and the cache live in the database so web processes hold no state. Sessions
# are Django's database sessions, read by a query compiled once (agora.core.sessions).
SESSION_ENGINE = "agora.core.sessions"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "agora_cache",
        # AGORA_CACHE_MAX_ENTRIES: rows the cache keeps before culling.
        # Culling at Django's default of 300 rows would forget sign-in throttling counts.
        "OPTIONS": {"MAX_ENTRIES": env.int("AGORA_CACHE_MAX_ENTRIES", default=1_000_000)},
    }
}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:account"
LOGOUT_REDIRECT_URL = "portal:home"

# django-allauth: email + password, verified email, TOTP as second factor.
# Signing in links a resident's account to their Person; see agora.people.adapters.
ACCOUNT_ADAPTER = "agora.people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "agora.people.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SERVICE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if BASE_URL.startswith("https") else "http"
# AGORA_LOGIN_FAILED_LIMIT: failed sign-ins allowed per client address (ip) and per
# account (key) before further attempts, even right ones, are refused for a while. The
# address limit is higher so colleagues behind one office address don't lock each other out.
# The counts live in the database cache, so every web process sees the same ones.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("AGORA_LOGIN_FAILED_LIMIT", default="20/5m/ip,5/5m/key"),
}
# AGORA_TRUSTED_PROXY_COUNT: reverse proxies in front of Agora that append X-Forwarded-For;
# 0 uses the connecting address. Set it behind a load balancer, or every client shares
# the balancer's address for the per-address limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("AGORA_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# AGORA_OIDC_PROVIDERS: JSON list of OpenID Connect apps (see docs/oidc.md).
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": env.json("AGORA_OIDC_PROVIDERS", default=[])},
}

# EMAIL_URL: outgoing mail server, e.g. smtp://user:pass@mail.example:587 (console in the demo).
_email = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEMO else "smtp://127.0.0.1:25"
)
vars().update(_email)
# DEFAULT_FROM_EMAIL: sender address of mail from the platform.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Agora <no-reply@agora.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
# TIME_ZONE: the deployment's time zone; storage is always UTC.
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The information hub. MEDIA_ROOT holds the documents' source files, content-addressed.
MEDIA_ROOT = VAR_DIR / "media"
# AGORA_CONTENT_MAX_BYTES: the largest file a publisher may upload or ingest (20 MB).
CONTENT_MAX_BYTES = env.int("AGORA_CONTENT_MAX_BYTES", default=20 * 1024 * 1024)
# AGORA_SEARCH_LANGUAGE: PostgreSQL's text search configuration for the hub (english).
SEARCH_LANGUAGE = env.str("AGORA_SEARCH_LANGUAGE", default="english")

# AGORA_ANSWERS_EMBEDDINGS: re-rank answers with the word embeddings of the optional
# `embeddings` extra when it is installed (on by default; off, lexical scoring alone).
ANSWERS_EMBEDDINGS = env.bool("AGORA_ANSWERS_EMBEDDINGS", default=True)

# AGORA_MAX_BODY_BYTES: request bodies above this size are refused with 413.
# Request bodies: anything larger is refused with 413 before a handler sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("AGORA_MAX_BODY_BYTES", default=1_048_576)

# Security baseline: production passes `manage.py check --deploy` with no warnings.
# SECURE_HSTS_SECONDS: how long browsers must use HTTPS only (one year by default).
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# SECURE_SSL_REDIRECT: redirect plain HTTP to HTTPS (on unless DEBUG).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_EXCLUDE = [r"^healthz$", r"^readyz$"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content Security Policy (django-csp 4): nothing inline without a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# LOG_LEVEL: the root log level (INFO by default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# AGORA_NATIONAL_ID_KEY: key of the national identifier hashes (derived from the secret
# key when empty). Set it once, before the first person is registered.
NATIONAL_ID_KEY = env.str("AGORA_NATIONAL_ID_KEY", default="")
# AGORA_LOG_PSEUDONYM_KEY: key of the subject pseudonyms in the transparency log
# (derived from the secret key when empty).
LOG_PSEUDONYM_KEY = env.str("AGORA_LOG_PSEUDONYM_KEY", default="")
# AGORA_PLATFORM_KEY_FILE: the platform's Ed25519 key (signs tree heads and receipts);
# made on first use. AGORA_PLATFORM_KEY (PEM text) takes precedence when set.
PLATFORM_KEY_FILE = env.path("AGORA_PLATFORM_KEY_FILE", default=str(VAR_DIR / "platform-key.pem"))
# AGORA_PLATFORM_KEY_DIR: where `agora keys rotate` writes each new platform key (one PEM
# file per key, named by its key id); every key there can sign when the ring names it.
PLATFORM_KEY_DIR = env.path("AGORA_PLATFORM_KEY_DIR", default=str(VAR_DIR / "platform-keys"))

# Background work: django-tasks. The database backend keeps tasks in the database (durable,
# no broker) and `agora worker` runs them; the Redis (RQ) backend is for larger deployments.
# AGORA_TASKS_BACKEND: "database" (default) or "redis".
TASKS_BACKEND = env.str("AGORA_TASKS_BACKEND", default="database").strip().lower()
# AGORA_REDIS_URL: the Redis server of the RQ backend (only read when it is chosen).
REDIS_URL = env.str("AGORA_REDIS_URL", default="redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(
        f"AGORA_TASKS_BACKEND is {TASKS_BACKEND!r}: set it to database or redis."
    )
# Webhooks to partners (agora.notifications).
# AGORA_WEBHOOK_ALLOW_LOOPBACK: allow plain-http endpoints on loopback (tests and the demo only).
WEBHOOK_ALLOW_LOOPBACK = env.bool("AGORA_WEBHOOK_ALLOW_LOOPBACK", default=DEMO)
# AGORA_WEBHOOK_CONNECT_TIMEOUT / _READ_TIMEOUT: seconds to connect to a receiver / wait for it.
WEBHOOK_CONNECT_TIMEOUT = env.float("AGORA_WEBHOOK_CONNECT_TIMEOUT", default=5.0)
WEBHOOK_READ_TIMEOUT = env.float("AGORA_WEBHOOK_READ_TIMEOUT", default=10.0)
# AGORA_WEBHOOK_RETRY_BASE: seconds before the first retry; each later wait doubles (jittered).
WEBHOOK_RETRY_BASE = env.float("AGORA_WEBHOOK_RETRY_BASE", default=30.0)
# AGORA_WEBHOOK_RETRY_CAP: the longest wait between two tries, in seconds.
WEBHOOK_RETRY_CAP = env.float("AGORA_WEBHOOK_RETRY_CAP", default=4 * 3600.0)
# AGORA_WEBHOOK_RETRY_WINDOW: seconds of retrying before a delivery is dead-lettered (>= 24 h).
WEBHOOK_RETRY_WINDOW = env.float("AGORA_WEBHOOK_RETRY_WINDOW", default=26 * 3600.0)
# AGORA_WEBHOOK_LEASE_MARGIN: seconds a worker's hold on a delivery outlasts its timeouts;
# a dead worker's deliveries wait that long (plus the timeouts) before another takes them.
WEBHOOK_LEASE_MARGIN = env.float("AGORA_WEBHOOK_LEASE_MARGIN", default=60.0)
# AGORA_OUTBOX_GRACE: seconds committed work may wait in the queue before a worker's
# recovery (at its start, then every minute) queues it again.
OUTBOX_GRACE = env.float("AGORA_OUTBOX_GRACE", default=30.0)
# AGORA_WEBHOOK_SECRET_OVERLAP: seconds the old secret still signs after a rotation.
WEBHOOK_SECRET_OVERLAP = env.float("AGORA_WEBHOOK_SECRET_OVERLAP", default=24 * 3600.0)

# AGORA_OUTBOX_RECOVER_INTERVAL: seconds between sweeps that queue again lost outbox work.
OUTBOX_RECOVER_INTERVAL = env.int("AGORA_OUTBOX_RECOVER_INTERVAL", default=60)
# AGORA_OUTBOX_KEEP_DAYS: days a delivered event (its deliveries, their attempts, the
# resident's sent email) is kept for the delivery history; dead letters are kept until an
# admin replays or dismisses them. The recovery sweep prunes a bounded batch each time.
OUTBOX_KEEP_DAYS = env.float("AGORA_OUTBOX_KEEP_DAYS", default=30.0)
if OUTBOX_KEEP_DAYS <= 0:
    raise ImproperlyConfigured("AGORA_OUTBOX_KEEP_DAYS must be more than 0.")

# AGORA_TREE_HEAD_INTERVAL: seconds between signed tree heads (signed only when the log
# has grown); the worker signs them.
TREE_HEAD_INTERVAL = env.int("AGORA_TREE_HEAD_INTERVAL", default=60)
if TREE_HEAD_INTERVAL < 1:
    raise ImproperlyConfigured("AGORA_TREE_HEAD_INTERVAL must be at least 1 second.")

# Pages
# Forms render as GOV.UK Frontend markup (label, hint, error message, govuk-* classes).
FORM_RENDERER = "agora.core.forms.GovukFormRenderer"
# Two-factor error messages that say what to do next.
MFA_ADAPTER = "agora.portal.adapters.MfaAdapter"
# A form refused for a missing or stale CSRF token gets a GOV.UK page, not Django's own.
CSRF_FAILURE_VIEW = "agora.core.views.csrf_failure"
