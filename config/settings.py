"""Settings, read from the environment (see .env.example for every variable)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
APP_DIR = BASE_DIR / "biaoshuai"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# "demo" (the default: `make run`, a laptop, the tests) or "production" (deploy/README).
# Production refuses a missing or built-in SECRET_KEY and never loads the demo.
ENVIRONMENT = env("ENVIRONMENT", default="demo")
DEMO_SECRET_KEY = "insecure-local-key-change-me-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", default=DEMO_SECRET_KEY)
if ENVIRONMENT not in ("demo", "production"):
    raise ImproperlyConfigured(f"ENVIRONMENT must be demo or production, not {ENVIRONMENT!r}.")
if ENVIRONMENT == "production" and SECRET_KEY in (
    DEMO_SECRET_KEY,
    "change-me-to-a-long-random-string",  # .env.example's
    "",
):
    raise ImproperlyConfigured(
        "生产环境必须设置自己的 SECRET_KEY（见 deploy/production.env.example）。"
        " Production needs its own SECRET_KEY: it is missing or the built-in demo key. Make one"
        ' with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "biaoshuai.core",
    "biaoshuai.audit",
    "biaoshuai.accounts",
    "biaoshuai.org",
    "biaoshuai.campaigns",
    "biaoshuai.notifications",
    "biaoshuai.study",
    "biaoshuai.practice",
    "biaoshuai.opinions",
    "biaoshuai.surveys",
    "biaoshuai.appraisal",
    "biaoshuai.rectification",
    "biaoshuai.publicity",
    "biaoshuai.supervision",
    "biaoshuai.assessment",
    "biaoshuai.portal",
    "biaoshuai.api",
    "biaoshuai.ops",
    "biaoshuai.demo",
]

MIDDLEWARE = [
    "biaoshuai.ops.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "biaoshuai.core.sessions.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "biaoshuai.accounts.middleware.AccountSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "biaoshuai.campaigns.middleware.CampaignMiddleware",
    "biaoshuai.campaigns.middleware.ModuleSwitchMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "biaoshuai.core.context_processors.navigation",
                "biaoshuai.ops.context_processors.environment",
                "biaoshuai.campaigns.context_processors.campaign_switcher",
            ],
            # {% campaign_label %} and {% status_badge %} in every template, without a {% load %}.
            "builtins": [
                "biaoshuai.core.templatetags.campaign_tags",
                "biaoshuai.core.templatetags.status",
            ],
        },
    }
]

# SQLite by default, in WAL mode so the web server and the task worker can share it.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A database that does not answer fails /readyz in seconds rather than hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        # Single-use challenges, rate limits and the portal's version (core/shared.py).
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shared",
        },
    }
else:
    # Per process; what every worker must agree on is kept in the database (core/shared.py).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {
        "NAME": "biaoshuai.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "biaoshuai.accounts.validators.NotContainingUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Passwords are hashed with PBKDF2-HMAC-SM3 (GB/T 39786); hashes made by Django's hashers that
# follow still verify and are rehashed with SM3 at the user's next login.
PASSWORD_HASHERS = [
    "biaoshuai.accounts.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_SM3_ITERATIONS = env.int("PASSWORD_SM3_ITERATIONS", default=200_000)
# Days after which a password must be changed; 0 turns expiry off.
PASSWORD_EXPIRY_DAYS = env.int("PASSWORD_EXPIRY_DAYS", default=90)

# Idle timeout: the session cookie is renewed on every request and expires after this many seconds.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# Exports of more rows than this run as a background task with a progress page; the file
# is kept EXPORT_KEEP_HOURS for its owner under EXPORT_ROOT (never served as media).
EXPORT_TASK_ROWS = env.int("EXPORT_TASK_ROWS", default=3000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
EXPORT_ROOT = BASE_DIR / env("EXPORT_ROOT", default="var/exports")
# Saved when changed, or once a minute of activity to renew the idle timeout
# (biaoshuai.core.sessions), never on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (all off by default, for a laptop on plain HTTP): redirect http:// to https://,
# and tell browsers to use HTTPS only for SECURE_HSTS_SECONDS (start small, e.g. 3600).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind nginx (or another proxy) that ends TLS: believe its X-Forwarded-Proto: https.
# Only with a proxy that sets (overwrites) that header on every request.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's health checks and Prometheus reach the nodes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Deployment checks silenced on purpose, e.g. security.W021 (HSTS preload) for a host name
# that cannot be on the browsers' preload list, such as an intranet name.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
# Content-Security-Policy (django-csp): scripts, styles, fonts and pictures from this site
# only; no inline script or event handler anywhere (behaviour lives in static .js files,
# data in json_script). Inline style attributes stay allowed: ECharts' tooltips and
# Bootstrap's components write them, and a few templates use them for widths.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# Failures from one address lock that address out of that account (the pair), for the cool-off;
# the owner at another address is not locked out. Attempts during a lockout do not restart it.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "biaoshuai.core.net.client_ip"
# Per account, from all addresses together: after LOGIN_DELAY_AFTER failures within the cool-off,
# each further try waits 1, 2, 4 ... seconds after the last failure, never more than
# LOGIN_DELAY_MAX_SECONDS. A browser the owner has logged in with before is not delayed.
LOGIN_DELAY_AFTER = env.int("LOGIN_DELAY_AFTER", default=10)
LOGIN_DELAY_MAX_SECONDS = env.int("LOGIN_DELAY_MAX_SECONDS", default=60)
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed, e.g. the
# nginx or HAProxy in front of gunicorn; see biaoshuai/core/net.py.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

OTP_TOTP_ISSUER = env("OTP_ISSUER", default="表率")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Each app keeps its own catalogue in <app>/locale (the shared layout lives in core).
LOCALE_PATHS = []
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [APP_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env("MEDIA_ROOT", default="media")  # a relative path is under BASE_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Largest upload accepted, in megabytes (roster files, evidence, materials).
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST", default="")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="biaoshuai@localhost")

# LOG_FORMAT=json: one JSON object a line (python-json-logger), for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged as one warning line with user, path and address, without a traceback.
    "filters": {"forbidden": {"()": "biaoshuai.accounts.request_log.ForbiddenOneLine"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "loggers": {
        "django.request": {"filters": ["forbidden"]},
        "django.security.csrf": {"filters": ["forbidden"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The opinion mailbox (电子邮箱 channel): off unless IMAP_HOST is set. `manage.py mailbox_fetch`
# (e.g. from cron every 5 minutes) turns each new message into an opinion.
IMAP_HOST = env("IMAP_HOST", default="")
IMAP_PORT = env.int("IMAP_PORT", default=993)
IMAP_USER = env("IMAP_USER", default="")
IMAP_PASSWORD = env("IMAP_PASSWORD", default="")
IMAP_SSL = env.bool("IMAP_SSL", default=True)
IMAP_FOLDER = env("IMAP_FOLDER", default="INBOX")

# Requests per minute an API token may make (a token can carry its own limit).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)
# Seconds a public portal page is cached; publishing through the services clears it at once.
PORTAL_CACHE_SECONDS = env.int("PORTAL_CACHE_SECONDS", default=60)
# Public questionnaires: responses accepted per round from one network address per day.
SURVEYS_PUBLIC_PER_IP_PER_DAY = env.int("SURVEYS_PUBLIC_PER_IP_PER_DAY", default=5)
# The public opinion form refuses a submission sent faster than this after the form loaded.
OPINIONS_MIN_FILL_SECONDS = env.int("OPINIONS_MIN_FILL_SECONDS", default=3)

# The audit log (README, "Audit log"). Its signing key comes from AUDIT_KEY / AUDIT_KEY_FILE
# (biaoshuai/audit/keys.py), never from the database. Signed checkpoints of the chain's head
# are appended to this file, which the operator archives, and optionally sent to syslog.
# A relative path is under BASE_DIR.
AUDIT_CHECKPOINT_FILE = BASE_DIR / env(
    "AUDIT_CHECKPOINT_FILE", default="var/audit-checkpoints.jsonl"
)
AUDIT_CHECKPOINT_SYSLOG = env.bool("AUDIT_CHECKPOINT_SYSLOG", default=False)
AUDIT_CHECKPOINT_SYSLOG_ADDRESS = env("AUDIT_CHECKPOINT_SYSLOG_ADDRESS", default="/dev/log")
# Days audit events are kept at least; fewer than 180 is refused (system check audit.E001).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
# Writers spread over this many streams of the chain, so they do not queue on one lock
# (PostgreSQL; SQLite has one writer at a time and uses the first stream only).
AUDIT_STREAMS = env.int("AUDIT_STREAMS", default=8)

# Prometheus metrics (/metrics): a bearer token (METRICS_TOKEN) or a client address in one of
# these networks (the intranet's monitoring hosts); anything else gets 403.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])

# Backups (README, "Backup and restore"): with BACKUP_DIR set, the scheduler writes a daily
# archive there and removes the ones older than BACKUP_KEEP days. A relative path is under
# BASE_DIR.
BACKUP_DIR = env("BACKUP_DIR", default="")
if BACKUP_DIR:
    BACKUP_DIR = BASE_DIR / BACKUP_DIR
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
