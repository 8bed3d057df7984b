"""Settings of the IMCS Portal, read from the environment.

Secure by default: DEBUG is off and HTTPS hardening on; in production (IMCS_ENV=production, set by
the image) the portal refuses to start unless SECRET_KEY, ALLOWED_HOSTS and the case-file keys are
given. With no environment at all it runs on SQLite under ``var/`` and processes background jobs
through a filesystem broker, so nothing but Python is needed (``make run``). Every
secret may also be given as ``NAME_FILE`` pointing at a file (Docker secrets).
"""

import base64
import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Where the portal keeps its own files in development: SQLite database, job queue, uploads.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))


def secret(name: str, default: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


def development_secret(name: str) -> str:
    """A random secret made once for this checkout and kept in VAR_DIR (never a known constant, so
    that even a server started without its settings is not open to forged sessions)."""
    path = VAR_DIR / f".{name}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# The production image sets IMCS_ENV=production: then every secret and the host names must be
# given, or the portal refuses to start. Without it (a checkout, `make run`, a management command)
# it starts with no environment at all.
PRODUCTION = env.str("IMCS_ENV", default="development") == "production"
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
# HTTPS hardening (redirect, secure cookies, HSTS) is on wherever DEBUG is off; the test command
# switches it off because its live server speaks plain HTTP.
HTTPS = env.bool("HTTPS", default=not DEBUG)
if PRODUCTION and not HTTPS:
    raise ImproperlyConfigured(
        "HTTPS must be on in production (HTTPS=0 sends sign-ins and case files in clear; behind a TLS "
        "proxy, keep it on and set BEHIND_PROXY=1)."
    )

SECRET_KEY = secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = development_secret("secret_key")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
if PRODUCTION and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names in production, not '*'.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "csp",
    "core",
    "agencies",
    "measures",
    "cases",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.audit.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "imcs_portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "imcs_portal.middleware.ApiMiddleware",  # before the two-factor check: it sees its answers too
    "agencies.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agencies.sessions.SessionIdleMiddleware",  # after messages: it may leave one
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a sign-in refused for too many failures into the page (or JSON) saying how long.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "imcs_portal.urls"
WSGI_APPLICATION = "imcs_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["core.templatetags.gate"],  # {% if user|may:"review" %} in every template
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "measures.context_processors.main_nav",
                "agencies.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'imcs_portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new PostgreSQL connection per request cost a signed-in page most of its
# time (issue 15). Each is checked before reuse, so a restarted database does not fail a request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner reorders joins in groups of at most six (default eight). The Office's inbox (a
    # progress entry with its measure, area, plan, unit, period and people: select_related) spent
    # 19 ms planning every order of its joins to run in 1 ms; with six, 3.5 ms planning and the
    # same plan. Four planned faster still but read a supervisor's case list by a full scan
    # (61 → 208 ms); five and six keep that plan (issue 15, measured on the benchmark's 100x data).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c join_collapse_limit={env.int('PG_JOIN_COLLAPSE_LIMIT', default=6)}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web server, job worker) share the file: wait on locks, don't fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account or address before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-guardian: no anonymous user; object grants are only ever one-off.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# One clear date format per language ("10 Jan 2010, 00:03", "2010年1月10日 00:03"): imcs_portal/formats/.
FORMAT_MODULE_PATH = ["imcs_portal.formats"]

# The portal's date for training and demonstration with a past plan (see core/clock.py);
# leave unset in production. `make run` sets it so the 2008–2012 plan has a current quarter.
PORTAL_TODAY = env.str("PORTAL_TODAY", default="")
# The real moment (ISO 8601) at which the portal's clock read PORTAL_TODAY; the clock advances from
# there. `make run` sets it once for the web server, worker and beat; unset: each process's start.
PORTAL_CLOCK_START = env.str("PORTAL_CLOCK_START", default="")
# Progress reports are due this many days after their quarter ends (the Office may move a deadline).
REPORTING_DEADLINE_DAYS = env.int("REPORTING_DEADLINE_DAYS", default=15)
# Provinces' quarterly reports: a quarter locks this many days after its deadline (submissions in
# between count as late); afterwards only the Office can reopen it.
QUARTERLY_LOCK_DAYS = env.int("QUARTERLY_LOCK_DAYS", default=7)
# The largest filled-in quarterly template accepted for upload, in bytes (the template is ~10 KB).
QUARTERLY_UPLOAD_MAX_BYTES = env.int("QUARTERLY_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024)
# Case files: keys that encrypt personal identifiers (Fernet, newest first) and the key of the
# blind index used to find a document number. Required in production; development derives both
# from the development SECRET_KEY so that `make run` needs no setup.
CASE_ENCRYPTION_KEYS = [k for k in secret("CASE_ENCRYPTION_KEYS").split(",") if k.strip()]
CASE_BLIND_INDEX_KEY = secret("CASE_BLIND_INDEX_KEY")
if not CASE_ENCRYPTION_KEYS or not CASE_BLIND_INDEX_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("CASE_ENCRYPTION_KEYS and CASE_BLIND_INDEX_KEY must be set in production.")
    _dev = hashlib.sha256(SECRET_KEY.encode()).digest()
    CASE_ENCRYPTION_KEYS = CASE_ENCRYPTION_KEYS or [base64.urlsafe_b64encode(_dev).decode()]
    CASE_BLIND_INDEX_KEY = CASE_BLIND_INDEX_KEY or _dev.hex()
if PRODUCTION:
    # Checked here, not at the first read of a case file: a bad key must stop the start.
    for _key in CASE_ENCRYPTION_KEYS:
        try:
            Fernet(_key)
        except (ValueError, TypeError) as _error:
            raise ImproperlyConfigured(
                "CASE_ENCRYPTION_KEYS: every key must be a Fernet key, 32 bytes in URL-safe base64 (make "
                "one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
                ".decode())')."
            ) from _error
    if len(CASE_BLIND_INDEX_KEY) < 32:
        raise ImproperlyConfigured(
            "CASE_BLIND_INDEX_KEY must be at least 32 characters in production (a short key lets "
            "document numbers be guessed from their hashes)."
        )
# Statistics that leave the case module hide counts smaller than this (and any cell that would
# let a hidden one be worked out from a total).
CASE_STATISTICS_THRESHOLD = env.int("CASE_STATISTICS_THRESHOLD", default=10)
# How often one case officer may ask whether a file on a person exists (django-ratelimit rate).
CASE_DUPLICATE_CHECK_RATE = env.str("CASE_DUPLICATE_CHECK_RATE", default="20/h")
# Refused attempts on case data logged per actor; past it, one row says the rest were not.
CASE_REFUSED_LOG_RATE = env.str("CASE_REFUSED_LOG_RATE", default="200/h")
# Evidence files: largest size accepted, in bytes.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# The public page for reporting crimes (no account): reports and status checks per address and hour
# (django-ratelimit rates), and the proof-of-work each report costs the browser
# (cases/services/public_flood.py:
# PBKDF2 iterations per step, and the most steps; about a second on a phone with the defaults).
PUBLIC_REPORT_RATE = env.str("PUBLIC_REPORT_RATE", default="5/h")
PUBLIC_STATUS_RATE = env.str("PUBLIC_STATUS_RATE", default="20/h")
PUBLIC_CHALLENGE_RATE = env.str("PUBLIC_CHALLENGE_RATE", default="60/h")
PUBLIC_REPORT_POW_COST = env.int("PUBLIC_REPORT_POW_COST", default=500)
PUBLIC_REPORT_POW_MAX_COUNTER = env.int("PUBLIC_REPORT_POW_MAX_COUNTER", default=2000)
PUBLIC_REPORT_POW_SECRET = env.str("PUBLIC_REPORT_POW_SECRET", default="") or f"pow:{SECRET_KEY}"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache and Celery: Redis when REDIS_URL is given; otherwise an in-process cache and a filesystem
# broker under var/, which the worker started by `make run` reads (no Redis server needed).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "store_processed": False,
        # Broadcasts (the worker's remote control) also under var/, not in the current directory.
        "control_folder": str(VAR_DIR / "celery-control"),
    }
# Reliability: acknowledge after the job ran, give a job back if its worker dies, take one at a
# time, and keep Redis from re-delivering a long job while it still runs.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="imcs")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Jobs: a running job beats at every step; one silent for a lease is taken over (its worker died).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# The quarterly report is compiled this many days after each quarter's deadline (a missed day is
# caught up for REPORT_CATCH_UP_DAYS).
REPORT_DAYS_AFTER_DEADLINE = env.int("REPORT_DAYS_AFTER_DEADLINE", default=10)
REPORT_CATCH_UP_DAYS = env.int("REPORT_CATCH_UP_DAYS", default=30)
# Celery beat (exactly one process): reminders (their steps: ReminderStep, in the admin),
# scheduled reports, the jobs' watchdog.
CELERY_BEAT_SCHEDULE = {
    "quarterly-report-reminders": {
        "task": "reports.tasks.send_report_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "scheduled-reports": {
        "task": "reports.tasks.compile_scheduled_reports",
        "schedule": crontab(hour=6, minute=30),
    },
    "requeue-stalled-jobs": {
        "task": "reports.tasks.requeue_stalled_jobs",
        "schedule": 60.0,
    },
    "clean-sign-in-records": {
        "task": "agencies.tasks.clean_sign_in_records",
        "schedule": crontab(hour=3, minute=15),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call gets 401 with a WWW-Authenticate header, not 403.
        "agencies.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # One paginator, its page bounded (a huge ?limit= never reaches the database).
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # POST /api/auth/token/ per client address (agencies.api.views.TokenThrottle), in the cache.
    "DEFAULT_THROTTLE_RATES": {"auth_token": env.str("API_TOKEN_RATE", default="30/minute")},
}
# API tokens (django-rest-knox): stored hashed, one per sign-in, each ending after API_TOKEN_TTL
# seconds (a role with a second factor: SESSION_TWO_FACTOR_AGE at most), at logout, at a password
# change or deactivation, or when an administrator deletes it.
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=env.int("API_TOKEN_TTL", default=8 * 60 * 60)),
    "AUTH_HEADER_PREFIX": "Token",
}
# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins (a wrong password or a
# wrong second-factor code) for one account, or from one address, further sign-ins there are
# refused until AXES_COOLOFF_MINUTES after the last counted one (429 on the API). An administrator unlocks in
# the admin (users, or access attempts) or with `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"  # the same address the audit log records
AXES_LOCKOUT_CALLABLE = "agencies.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp", "code"]
# A successful sign-in does not clear the count: else one's own account would reset an address's.
AXES_RESET_ON_SUCCESS = False
# Attempts refused during a lockout do not prolong it: the wait said counts down.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False  # no banner at every start; failures and lockouts are still logged
# Sign-in records (axes' access logs and failure logs) are deleted after this many days by the daily
# agencies.tasks.clean_sign_in_records, which also deletes expired API tokens.
SIGN_IN_LOG_DAYS = env.int("SIGN_IN_LOG_DAYS", default=90)

SPECTACULAR_SETTINGS = {
    "TITLE": "IMCS Portal API",
    "DESCRIPTION": "API of the IMCS Portal. Every list and object is limited to what the caller "
    "may see; an object outside the caller's view answers 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is for the portal's users, not for anyone who asks.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: no CDN is reachable from where the portal runs.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "core.choices.ReviewState",
        "ReopenStateEnum": "reports.choices.ReopenState",
        "JobStatusEnum": "reports.choices.JobStatus",
        "PublicReportStatusEnum": "cases.choices.PublicReportStatus",
    },
}

# Content-Security-Policy: scripts, styles and everything else from the portal itself; no inline
# script anywhere (the API docs load their start-up script as a file: SpectacularSwaggerSplitView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # Django admin and Swagger UI set inline styles
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Security headers; HTTPS-only settings follow the HTTPS switch.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this many seconds without a request (a sliding idle timeout: each request
# renews it, written at most every tenth of it; see agencies/sessions.py). The roles that need a
# second factor get SESSION_TWO_FACTOR_AGE, never longer; so do their API tokens.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_TWO_FACTOR_AGE = min(env.int("SESSION_TWO_FACTOR_AGE", default=30 * 60), SESSION_COOKIE_AGE)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
# Behind the proxy, X-Forwarded-For is believed only from these addresses or networks (comma-separated,
# e.g. "127.0.0.1,172.16.0.0/12"): the client is the right-most address in it that is not one of them.
# Empty: X-Forwarded-For is never believed and the connection's address is the client's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="imcs-portal@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = secret("EMAIL_HOST_PASSWORD")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
