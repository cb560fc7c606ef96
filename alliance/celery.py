import ctypes
import os
import time

from celery import Celery
from celery.signals import import_modules, task_postrun
from django.db.backends.signals import connection_created

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

# False in a Celery worker or beat, which serve no page (see below).
serves_pages = True


@import_modules.connect
def load_no_web_modules(**kwargs):
    """A worker or beat process does not load what only pages use.

    Celery sends import_modules when a worker or beat imports the task modules, just
    before its Django fixup sets Django up: connected before the app exists, this
    receiver runs first. Each prefork process carries whatever is loaded, so: no admin
    autodiscovery (the admin modules pull in django-import-export, tablib, openpyxl,
    Pillow) and no Django system checks at start, which import every URLconf and view
    (CI, `manage.py check` and `migrate` run them).
    """
    global serves_pages
    serves_pages = False
    limit_malloc_arenas()
    task_postrun.connect(trim_malloc, dispatch_uid="worker-malloc-trim")
    os.environ.setdefault("CELERY_SKIP_CHECKS", "1")
    connection_created.connect(bound_statements, dispatch_uid="worker-statement-timeout")


_LIBC = ctypes.CDLL(None)  # the C library this process runs on
# glibc's mallopt(3) parameter for the most malloc arenas (malloc.h: M_ARENA_MAX = -8).
M_ARENA_MAX, WORKER_MALLOC_ARENAS = -8, 2


def limit_malloc_arenas() -> None:
    """At most WORKER_MALLOC_ARENAS malloc arenas for this process's threads (glibc).

    glibc gives each new thread that allocates under contention an arena of its own,
    up to eight per core, and the memory freed in one stays there. The worker's pool
    of CELERY_WORKER_CONCURRENCY threads thus held about 14 MB more than one thread
    doing the same work (bench/reminders.py, 8 threads: 148 MB against 134 MB with
    two arenas or one thread). Two arenas keep that memory while costing no time:
    the threads mostly allocate holding the GIL, so they rarely contend for an arena.
    Called before the pool's threads start; other C libraries (musl, macOS) have no
    mallopt and are left as they are; MALLOC_ARENA_MAX in the environment wins.
    """
    mallopt = getattr(_LIBC, "mallopt", None)
    if mallopt is not None and "MALLOC_ARENA_MAX" not in os.environ:  # the operator's
        mallopt(M_ARENA_MAX, WORKER_MALLOC_ARENAS)


TRIM_EVERY = 1.0  # seconds, at least, between two trims
_last_trim = 0.0


def trim_malloc(**kwargs) -> None:
    """After a task, give the C heap's free pages back to the system (glibc's
    malloc_trim(3)), at most every TRIM_EVERY seconds.

    Building and sending a batch of 50 emails leaves the heap dotted with freed
    blocks that glibc keeps; trimming after each batch held a worker of 8 threads at
    126 MB instead of 136 MB for 6,000 reminders (bench/reminders.py's ledger sent in
    one process) at no measurable cost: ctypes releases the GIL for the call, a few
    milliseconds a second at most.
    """
    global _last_trim
    now = time.monotonic()
    malloc_trim = getattr(_LIBC, "malloc_trim", None)
    if malloc_trim is None or now - _last_trim < TRIM_EVERY:
        return
    _last_trim = now
    malloc_trim(0)


def bound_statements(sender, connection, **kwargs):
    """A worker's database statements give up after WORKER_STATEMENT_TIMEOUT_SECONDS.

    The thread pool enforces no task time limit, so a statement stuck behind a lock
    would hold its thread for ever; it fails instead, and the rows it was about go
    back to pending (a claim not renewed for DELIVERY_LEASE_SECONDS is released).
    """
    from django.conf import settings

    if connection.vendor == "postgresql":
        seconds = settings.WORKER_STATEMENT_TIMEOUT_SECONDS
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds}s"])


app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["alliance.mail"])  # not an app of its own: named here
