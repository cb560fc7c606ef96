"""Settings for the Alliance portal, read from the environment.

With no environment at all the portal runs on a laptop: SQLite under var/, a
Celery broker on the filesystem, email written to files. DATABASE_URL,
CELERY_BROKER_URL, REDIS_URL and EMAIL_HOST switch to the real services.

The settings are grouped by subject: base (apps, requests, storage, languages,
security), accounts (sign-in and rate limits) and delivery (email and Celery).
"""

from alliance.settings.accounts import *  # noqa: F403
from alliance.settings.base import *  # noqa: F403
from alliance.settings.delivery import *  # noqa: F403
