"""Settings for the Alliance portal, read from the environment.

With no environment at all the portal runs on a laptop: SQLite under var/, a
Celery broker on the filesystem, email written to files. DATABASE_URL,
CELERY_BROKER_URL, REDIS_URL and EMAIL_HOST switch to the real services.
"""

import re
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from alliance import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get_str("ALLIANCE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.get_bool("DJANGO_DEBUG", False)

SECRET_KEY = env.get_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG-true"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("change-me")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a random value of at least 50 characters in production, "
        "not a placeholder."
    )

ALLOWED_HOSTS = env.get_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    # Before the admin, so that its admin classes and fields are in place.
    "modeltranslation",
    "alliance.admin_site.AllianceAdminConfig",  # django.contrib.admin with the dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "import_export",
    "alliance",
    "cities",
    "networks",
    "alliance.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every error under /api/ as problem details, whichever layer below answered it.
    "alliance.api.problems.ProblemDetailsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session middleware, which looks the session cookie up in the database.
    "alliance.request_data.RequestDataMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before the language middleware, which reads the user's saved language.
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alliance.language.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alliance.staff_mfa.StaffSecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The request's user is who made its writes (status-change rows, networks.facts).
    "alliance.acting.ActingUserMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.context.site",
            ],
        },
    },
]

# Database ------------------------------------------------------------------
DATABASES = {
    "default": env.get_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'alliance.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # A web process, a worker and beat share the file: wait for locks instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.get_int(
        "DATABASE_CONNECT_TIMEOUT", 5, minimum=1, maximum=60
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "alliance.User"

# Cache ---------------------------------------------------------------------
REDIS_URL = env.get_url("REDIS_URL", "", schemes={"redis", "rediss", "unix"})
# The cache is never a hard dependency (alliance/cache.py): an unreachable Redis is a
# miss after at most CACHE_TIMEOUT_MS, then not asked again for CACHE_RETRY_SECONDS.
CACHE_TIMEOUT_MS = env.get_int("CACHE_TIMEOUT_MS", 250, minimum=10, maximum=10_000)
CACHE_RETRY_SECONDS = env.get_int("CACHE_RETRY_SECONDS", 10, minimum=1, maximum=600)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "alliance.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "alliance",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_MS / 1000,
                "socket_timeout": CACHE_TIMEOUT_MS / 1000,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Auth ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applications:list"

# Accounts (django-allauth): email sign-in, verified addresses, no enumeration.
ACCOUNT_ADAPTER = "alliance.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website_url"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    # allauth's own, spelled out: log-in posts per address (429 beyond), and failed
    # log-ins per address and per account (the form refuses even the right password).
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    # Our own actions: application submissions per account and per address, and
    # directory exports per account (each one reads the whole filtered directory).
    "apply": "5/h/user,20/h/ip",
    # Anonymous application drafts, each a session row of a few KB (issue #15 §4).
    "apply_draft": "20/h/ip",
    "directory_export": "20/h/user",
    # New API tokens per account.
    "api_token": "10/h/user",
    # The ways in (issue #17): per address, per account, per email typed in the form
    # (networks/involvement/ratelimits.py), so nobody floods a stranger's inbox.
    "pledge": "10/h/ip",
    "pledge_account": "10/h/user",
    "pledge_email": "3/h/key",
    "city_pledge_account": "5/h/user",
    "partner_enquiry": "5/h/ip",
    "partner_enquiry_account": "5/h/user",
    "partner_enquiry_email": "3/h/key",
    "nominate": "10/h/ip",
    "nominate_account": "10/h/user",
    "nominate_email": "3/h/key",
    "policy_submit": "10/h/ip",
    "policy_submit_account": "10/h/user",
    "policy_submit_email": "3/h/key",
}
# The API's rate limits (alliance/api/access.py): anonymous requests per client address,
# requests with a token per token. "N/s", "N/m", "N/h" or "N/d".
API_RATE_ANONYMOUS = env.get_str("API_RATE_ANONYMOUS", "120/m")
API_RATE_TOKEN = env.get_str("API_RATE_TOKEN", "600/m")
for _name, _rate in (
    ("API_RATE_ANONYMOUS", API_RATE_ANONYMOUS),
    ("API_RATE_TOKEN", API_RATE_TOKEN),
):
    if not re.fullmatch(r"[1-9][0-9]{0,6}/[smhd]", _rate):
        raise ImproperlyConfigured(f"{_name} must look like 120/m (requests per s, m, h or d).")
# Admin imports (django-import-export): one transaction per file, so a file with a bad
# row changes nothing; history rows record who changed what, so no admin log per row.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alliance portal"
# Behind a proxy the client address is the last hop the proxy appended.
ALLAUTH_TRUSTED_PROXY_COUNT = env.get_int("DJANGO_TRUSTED_PROXY_COUNT", 0, maximum=5)

# Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
    ("ja", _("Japanese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content the secretariat writes (FAQ, network and partner descriptions) may be given
# per language; a missing translation shows the English text.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
# Stored in UTC; shown in the network's or the viewer's zone by the views.
USE_TZ = True
TIME_ZONE = "UTC"

# GeoNames uses XK for Kosovo, which ISO 3166 has not assigned.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# Static and media files ------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.get_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email ---------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.get_str(
    "DEFAULT_FROM_EMAIL", "G20 Global Smart Cities Alliance <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to the secretariat; emails carry it as their Reply-To.
SECRETARIAT_EMAIL = env.get_str("SECRETARIAT_EMAIL", "info@globalsmartcitiesalliance.org")
# Absolute links in emails point here.
SITE_URL = env.get_url(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else "", schemes={"http", "https"}
).rstrip("/")
EMAIL_HOST = env.get_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.get_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
    EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 10, minimum=1, maximum=300)
else:
    # On a laptop every message lands as a file in var/mail, readable with any editor.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# The relay's send-rate quota, messages a second over every worker together (0: no cap).
# Kept in Redis when REDIS_URL is set, else per process; alliance/mail/ratelimit.py.
EMAIL_MAX_PER_SECOND = env.get_int("EMAIL_MAX_PER_SECOND", 0, minimum=0, maximum=100_000)

# Celery --------------------------------------------------------------------
CELERY_BROKER_URL = env.get_url(
    "CELERY_BROKER_URL",
    REDIS_URL or "filesystem://localhost/",
    schemes={"filesystem", "redis", "rediss", "memory", "amqp", "pyamqp"},
)
# Fail fast: a page that queues work must answer even when a network broker is down.
# What was queued is in the outbox and the periodic flush sends it later.
BROKER_FAIL_FAST_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _folders = {name: VAR_DIR / "celery" / name for name in ("queue", "processed", "control")}
    # The filesystem transport needs its folders to exist before a worker starts.
    for _folder in _folders.values():
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_folders["queue"]),
        "data_folder_out": str(_folders["queue"]),
        "processed_folder": str(_folders["processed"]),
        "control_folder": str(_folders["control"]),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = BROKER_FAIL_FAST_OPTIONS
if CELERY_BROKER_URL.startswith("redis://"):
    # kombu's Redis transport, surviving a broker outage under a running worker.
    CELERY_BROKER_TRANSPORT = "alliance.broker:Transport"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker's tasks wait on SMTP, the database and the broker: threads overlap those
# waits in one process (bench/reminders.py measures one and two workers of this pool
# against a relay that answers after 20 ms, and their memory). Threads enforce no task
# time limits; every wait has its own bound instead: EMAIL_TIMEOUT, the broker's socket
# timeouts, and WORKER_STATEMENT_TIMEOUT_SECONDS on a worker's database statements
# (alliance/celery.py). prefork keeps the limits below.
CELERY_WORKER_POOL = env.get_choice(
    "CELERY_WORKER_POOL", "threads", choices={"THREADS", "PREFORK", "SOLO"}
).lower()
CELERY_WORKER_CONCURRENCY = env.get_int("CELERY_WORKER_CONCURRENCY", 4, minimum=1, maximum=64)
WORKER_STATEMENT_TIMEOUT_SECONDS = env.get_int(
    "WORKER_STATEMENT_TIMEOUT_SECONDS", 60, minimum=1, maximum=3600
)
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "alliance.mail.tasks.flush_outbox", "schedule": 60.0},
    "dispatch-reminders": {"task": "networks.tasks.dispatch_reminders", "schedule": 60.0},
    # networks.directory.figures.FIGURES_REFRESH_SECONDS
    "refresh-figures": {"task": "networks.tasks.refresh_figures", "schedule": 120.0},
    "prune-login-failures": {"task": "alliance.tasks.prune_login_failures", "schedule": 86400.0},
    "build-stale-downloads": {
        "task": "alliance.api.tasks.build_stale_downloads",
        "schedule": 3600.0,
    },
    "clear-expired-sessions": {
        "task": "alliance.tasks.clear_expired_sessions",
        "schedule": 86400.0,
    },
}
# Failed sign-ins (addresses and e-mail addresses tried) are deleted after this long.
LOGIN_FAILURE_RETENTION_DAYS = env.get_int("LOGIN_FAILURE_RETENTION_DAYS", 90, minimum=1)
# A reminder this late is marked missed instead of sent.
REMINDER_LATE_WINDOW_SECONDS = env.get_int("REMINDER_LATE_WINDOW_SECONDS", 6 * 3600, minimum=60)
# A worker renews its claim on the rows it sends (reminders and the outbox) every few
# seconds; a claim not renewed for this long belongs to a dead worker and is retried.
DELIVERY_LEASE_SECONDS = env.get_int("DELIVERY_LEASE_SECONDS", 45, minimum=1, maximum=3600)
if env.get_str("REMINDER_STALE_CLAIM_SECONDS"):
    # Renamed when claims became leases: a deployment still setting the old name would
    # otherwise run with the default without knowing it.
    raise ImproperlyConfigured(
        "REMINDER_STALE_CLAIM_SECONDS is no longer read: set DELIVERY_LEASE_SECONDS instead "
        "(how long a claim lives without renewal, for reminders and the outbox)."
    )

# Security ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script of the site, the admin or allauth reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
# Pages load only what the site serves itself: no inline or third-party script, no
# framing, forms post back here. data: images are the MFA set-up QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env.get_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.get_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.get_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for months and cannot be
        # undone quickly, so it is the operator's explicit choice (DJANGO_HSTS_PRELOAD=true).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Logging -------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env.get_choice(
            "DJANGO_LOG_LEVEL", "INFO", choices={"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        ),
    },
}
