"""Django's Redis cache, degraded instead of failing while Redis is unreachable.

Nothing the portal keeps in the cache is a record: the directory's data version and
rendered pages, counts and the rate limits' counters can all be recomputed or, for a
while, done without. So a user-facing write (an approval, a meeting scheduled, an
application submitted) must never fail because the cache is down or frozen (issue
#14): every operation that meets a Redis error logs it and answers as a cache miss
would, and for CACHE_RETRY_SECONDS after an error the process does not ask Redis
again, so a request that touches the cache many times waits for at most one socket
timeout (CACHE_TIMEOUT_MS), not one per call.

What degrades, and how it catches up: the directory (alliance/data_version.py: a version
of its data lasts at most a minute, so a change made while Redis was away shows within
a minute of its return), and the rate limits (allauth's), which do not count while
Redis is away: they fail open, rather than refuse every sign-in and application.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import NoScriptError, RedisError

logger = logging.getLogger(__name__)

_unavailable_until = 0.0  # time.monotonic(); shared by every cache of the process


def _degrades(answer):
    """Run the operation; on a Redis error (or within the pause after one) return `answer`.

    `answer(*args, **kwargs)` gives what a miss answers: None, False, {} or, for incr, the
    delta (a counter that cannot count counts nothing).
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            global _unavailable_until
            if time.monotonic() < _unavailable_until:
                return answer(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as exc:
                _unavailable_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
                logger.warning(
                    "cache unavailable (%s: %s); %s answered as a miss for %s s",
                    type(exc).__name__,
                    exc,
                    method.__name__,
                    settings.CACHE_RETRY_SECONDS,
                )
                return answer(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _true(*args, **kwargs):
    return True


def _default(key, default=None, *args, **kwargs):
    return default


def _empty(*args, **kwargs):
    return {}


def _keys(keys, *args, **kwargs):
    return list(keys)  # set_many: the keys that were not stored


def _delta(key, delta=1, *args, **kwargs):
    return delta


class DegradingRedisCache(RedisCache):
    get = _degrades(_default)(RedisCache.get)
    get_many = _degrades(_empty)(RedisCache.get_many)
    has_key = _degrades(_false)(RedisCache.has_key)
    # add() answers True: allauth's rate limits take a lock with add() and answer 429
    # when they cannot; without Redis they do not count rather than refuse everyone.
    add = _degrades(_true)(RedisCache.add)
    set = _degrades(_none)(RedisCache.set)
    set_many = _degrades(_keys)(RedisCache.set_many)
    touch = _degrades(_false)(RedisCache.touch)
    delete = _degrades(_false)(RedisCache.delete)
    delete_many = _degrades(_none)(RedisCache.delete_many)
    incr = _degrades(_delta)(RedisCache.incr)
    clear = _degrades(_false)(RedisCache.clear)


def reset() -> None:
    """Forget a remembered outage (tests start each from a reachable cache)."""
    global _unavailable_until
    _unavailable_until = 0.0


def read_and_count(read_key: str | None, counter_key: str, seconds: int):
    """In one round trip to Redis: the value at `read_key` (None when missing, or when
    `read_key` is None) and the counter at `counter_key` after adding 1 to it, the
    counter made to last `seconds` by the first call that creates it.

    Returns (value, count); the value must be an int (e.g. the data version). The same
    as send_read_and_count(...).result(), which see.
    """
    return send_read_and_count(read_key, counter_key, seconds).result()


def send_read_and_count(read_key: str | None, counter_key: str, seconds: int):
    """read_and_count() asked now and answered later: returns a Counted whose result()
    is (value, count), which waits for the reply only if it has not come yet, and whose
    close() must follow (it reads an unread reply and gives the connection back).

    Sent early (alliance.api.revalidate.EarlyRevalidationMiddleware) the round trip overlaps
    the rest of the middleware, so a 304 seldom waits for it and, on a loaded host,
    seldom gives up the CPU on a read (issue #18).

    Through redis-py's public API: a connection of the client's pool, its send_command()
    and read_response(). Django's incr() costs two round trips (EXISTS, INCR) and a get()
    one more; one Lua script (_READ_AND_COUNT) rather than a pipeline of its three
    commands is one command to pack and one reply to parse (29 µs against 54 µs a call,
    measured on the bench host). Another cache backend (tests, no REDIS_URL) answers at
    once through Django's API. While Redis is unreachable the result is (None, 0): the
    caller reads a missing value and counts nothing (rate limits fail open, as above).
    The default cache is the one used.
    """
    cache = caches[DEFAULT_CACHE_ALIAS]  # the backend itself, not django.core.cache.cache
    if not isinstance(cache, RedisCache):
        return Counted(answer=_count_in_django_cache(cache, read_key, counter_key, seconds))
    if time.monotonic() < _unavailable_until:
        return Counted(answer=(None, 0))
    keys = [cache.make_and_validate_key(counter_key)]
    if read_key:
        keys.append(cache.make_and_validate_key(read_key))
    counted = Counted(keys=keys, seconds=seconds)
    counted.send()
    return counted


def _count_in_django_cache(cache, read_key, counter_key, seconds):
    value = cache.get(read_key) if read_key else None
    if cache.add(counter_key, 1, seconds):
        return value, 1
    try:
        return value, cache.incr(counter_key)
    except ValueError:  # expired between add() and incr()
        cache.add(counter_key, 1, seconds)
        return value, 1


class Counted:
    """A read_and_count sent to Redis, or already answered (`answer`)."""

    def __init__(self, *, answer=None, keys=(), seconds=0):
        self.answer, self.keys, self.seconds, self.connection = answer, keys, seconds, None

    def send(self) -> None:
        try:
            self.connection = _pool().get_connection()
            self._command("EVALSHA", _script_sha())
        except RedisError as exc:
            self._failed(exc)

    def _command(self, name: str, script: str) -> None:
        self.connection.send_command(name, script, len(self.keys), *self.keys, self.seconds)

    def result(self) -> tuple[int | None, int]:
        """(value, count), waiting for the reply if need be."""
        if self.answer is None:
            try:
                try:
                    results = self.connection.read_response()
                except NoScriptError:  # the server forgot it (restarted, flushed): once more
                    self._command("EVAL", _READ_AND_COUNT)
                    results = self.connection.read_response()
            except RedisError as exc:
                self._failed(exc)
            else:
                self._release()
                raw = results[1] if len(results) > 1 else None
                # Django's Redis cache keeps an int as its decimal digits (so that incr()
                # is Redis's INCR); anything else at `read_key` reads as missing.
                value = int(raw) if raw is not None and raw.isdigit() else None
                self.answer = (value, int(results[0]))
        return self.answer

    def close(self) -> None:
        """Reads the reply if nobody did, so the connection goes back to the pool clean."""
        if self.connection is not None:
            self.result()

    def _release(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            _pool().release(connection)

    def _failed(self, exc) -> None:
        global _unavailable_until
        _unavailable_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
        logger.warning("cache unavailable (%s: %s); nothing counted", type(exc).__name__, exc)
        if self.connection is not None:
            self.connection.disconnect()  # a reply may be half read: never reuse it
        self._release()
        self.answer = (None, 0)


# KEYS[1] the counter, KEYS[2] (optional) the value to read; ARGV[1] the counter's
# lifetime. SET NX EX then INCR: the counter gets its lifetime once, as with
# cache.add(). GET answers false for a missing key, which Redis sends as nil.
_READ_AND_COUNT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCR', KEYS[1])
if #KEYS > 1 then
    return {count, redis.call('GET', KEYS[2])}
end
return {count}
"""


@functools.cache
def _script_sha() -> str:
    return hashlib.sha1(_READ_AND_COUNT.encode()).hexdigest()  # noqa: S324 (Redis's name)


def _pool():
    return _client(settings.REDIS_URL, settings.CACHE_TIMEOUT_MS / 1000).connection_pool


@functools.cache
def _client(location: str, timeout: float):
    """A redis-py client (public API, its own connection pool) on the cache's server:
    one per process, reused by every call (one per call costs as much as a command)."""
    import redis

    return redis.Redis.from_url(location, socket_connect_timeout=timeout, socket_timeout=timeout)
