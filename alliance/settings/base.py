"""The core of the portal's settings: apps, requests, storage, languages, security.

Sign-in and rate limits are in alliance/settings/accounts.py, email and Celery in
alliance/settings/delivery.py; alliance/settings/__init__.py puts them together.
"""

import re
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from alliance import env

BASE_DIR = Path(__file__).resolve().parents[2]
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
    # Answers an anonymous API revalidation (304) before the rest of the stack runs.
    "alliance.api.revalidate.EarlyRevalidationMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the session and language middleware: drops the Vary they add to downloads.
    "alliance.api.conditional.SameForEveryoneMiddleware",
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
# The release's name in the cache's keys (alliance/release.py); "" names it by a
# digest of the code, templates and catalogues.
RELEASE_ID = env.get_str("RELEASE_ID", "")
if RELEASE_ID and not re.fullmatch(r"[A-Za-z0-9._-]{1,40}", RELEASE_ID):
    raise ImproperlyConfigured(
        "RELEASE_ID must be 1-40 letters, digits, dots, hyphens or underscores "
        f"(it is part of every cache key), not {RELEASE_ID!r}."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "alliance.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "alliance",
            # Each release its own keys: no HTML or structure kept by the one before.
            "KEY_FUNCTION": "alliance.release.make_key",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_MS / 1000,
                "socket_timeout": CACHE_TIMEOUT_MS / 1000,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


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
