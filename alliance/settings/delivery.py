"""Email (the relay, its send-rate quota) and Celery (broker, worker pool, beat, leases)."""

from django.core.exceptions import ImproperlyConfigured

from alliance import env
from alliance.settings.base import DEBUG, REDIS_URL, VAR_DIR

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
# How far under that quota the workers pace themselves, in percent: the relay counts a
# message when it arrives, and a sender stalled between its slot and the relay (a busy
# CPU) delivers late ones together with on-time ones; see ratelimit.current().
EMAIL_RATE_HEADROOM_PERCENT = env.get_int("EMAIL_RATE_HEADROOM_PERCENT", 3, maximum=50)

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
# (alliance/celery.py). prefork keeps the limits below. Eight threads: a message spends
# about 20 ms waiting on a relay and 3-5 ms on CPU, so eight keep one process busy
# (bench/reminders.py on 2 CPUs, same run: 4 threads 68 msg/s, 8 threads 128 msg/s);
# each thread holds one database connection.
CELERY_WORKER_POOL = env.get_choice(
    "CELERY_WORKER_POOL", "threads", choices={"THREADS", "PREFORK", "SOLO"}
).lower()
CELERY_WORKER_CONCURRENCY = env.get_int("CELERY_WORKER_CONCURRENCY", 8, minimum=1, maximum=64)
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
    # networks.imports.watch.STALE
    "end-stalled-imports": {"task": "networks.tasks.end_stalled_imports", "schedule": 60.0},
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
