"""One number that says "the portal's public data changed": the key of every page cache.

Cities, memberships, networks, principles and pioneer links are shown on many pages
(the directory, network pages, city pages, the home page's figures). Rather than work
out which cached piece each change touches, every such change starts a new version,
and every cached piece is keyed by the version it was built from: a change never leaves
a stale page behind, and a page seen since the last change costs no query.

It lives here, in the project's basement, so that both apps can use it: `cities` (its
city page) may not import `networks`, which sends most of the changes
(networks/signals.py). Call it through the module (`data_version.current()`), so a
benchmark can stand in a version of its own.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

KEY = "directory-data-version"
# A version lasts at most this long, even without a change. A change made while the
# cache was unreachable could not start a new version (alliance/cache.py answers as a
# miss); the next version, at most a minute after the cache's return, shows it. Cached
# pieces last a minute anyway, so this costs little: what is kept per process (the
# directory's <option> lists) is rebuilt once per process and minute.
SECONDS = 60

# Sent (no arguments but `sender`, this module's name) once the transaction that called
# changed() commits: what must follow every change to the public data, whichever write
# made it (a save's signal, a bulk action, an import, a management command), listens
# here rather than to each model's signals. The open-data downloads do
# (alliance/api/signals.py).
data_changed = Signal()


def current() -> int:
    """The current version (an int: nanoseconds since the epoch).

    When the cache cannot answer, a fresh value: nothing is reused under it.
    """
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, time.time_ns(), SECONDS)
        version = cache.get(KEY)
    return time.time_ns() if version is None else version


_CURRENT = current


def current_and_count(counter_key: str, seconds: int) -> tuple[int | None, int]:
    """The current version, or None when none is set (call current() then), and the
    rate-limit counter `counter_key` after adding 1 (see alliance.cache.read_and_count),
    in one round trip to the cache: what an API revalidation needs before its 304."""
    return send_current_and_count(counter_key, seconds).result()


def send_current_and_count(counter_key: str, seconds: int):
    """current_and_count() asked now, answered by the result() of what it returns (whose
    close() must follow): see alliance.cache.send_read_and_count."""
    from alliance.cache import send_read_and_count

    if current is not _CURRENT:  # a stand-in (a benchmark's): its version, counted apart
        return _StandIn(current(), send_read_and_count(None, counter_key, seconds))
    return send_read_and_count(KEY, counter_key, seconds)


class _StandIn:
    def __init__(self, version, counted):
        self.version, self.counted = version, counted

    def result(self):
        return self.version, self.counted.result()[1]

    def close(self):
        self.counted.close()


def _new() -> None:
    cache.set(KEY, time.time_ns(), SECONDS)


def changed() -> None:
    """The public data changed: whatever was cached under older versions no longer applies.

    A new version at once, for this transaction's own reads, and another after the
    commit: a request that read the old rows between the change and the commit
    would otherwise have cached them under the new version.
    """
    _new()
    transaction.on_commit(_after_commit)


def _after_commit() -> None:
    _new()
    data_changed.send(sender=__name__)
