"""EMAIL_MAX_PER_SECOND: the relay's send-rate quota, kept by every worker together.

Mail relays cap each sender (tens to a few hundred messages a second); beyond the cap
they answer 4xx, or throttle the connection. The delivery loop asks `current()` for a
slot before each message and waits until the slot's time.

The algorithm is GCRA (the Generic Cell Rate Algorithm of ITU-T I.371, "virtual
scheduling"): the store keeps one number, the theoretical arrival time TAT of the next
message. A sender reserves the slot max(TAT, now) and moves TAT one interval (1/rate
seconds) later, so the senders of every worker are spaced evenly at the cap, with no
burst after a quiet spell. A slot further ahead than `max_wait` is not reserved: the
sender waits and asks again, so that it can renew its rows' lease meanwhile.

Where the TAT lives:
- REDIS_URL set: in Redis (one Lua script, atomic), shared by every worker process.
  Each worker's clock gives "now": with clocks kept by NTP (milliseconds apart) the
  cap holds across machines to within rate x skew messages.
- No REDIS_URL (the embedded default, one worker): in the process, shared by its
  threads.
- Redis unreachable: nothing waits for it and no mail is held back. Each process keeps
  the cap on its own (the local store) for CACHE_RETRY_SECONDS, then asks Redis again;
  during an outage N workers may together send up to N times the cap, and what the
  relay refuses for it (4xx) is retried with backoff like any temporary refusal.
Library alternatives considered: `limits` (Flask-Limiter's) answers "allowed now?" per
window, not "when is my turn", so senders would poll and bunch at window edges.
"""

import functools
import logging
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "alliance:mail:next-slot"

# KEYS[1] the TAT; ARGV: now, interval, max_wait (seconds, as decimal strings).
# Returns {1 if reserved else 0, seconds to wait}. Decimals with 6 places: Lua's
# default tostring keeps 14 digits, too few for an epoch time plus a short interval.
RESERVE_SCRIPT = """
local now, interval, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local wait = tat - now
if wait > max_wait then
  return {0, string.format('%.6f', wait)}
end
local ttl = math.ceil((wait + interval) * 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.6f', tat + interval), 'PX', ttl)
return {1, string.format('%.6f', wait)}
"""


class LocalStore:
    """The TAT in this process, shared by its threads (the embedded default)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tat: dict[str, float] = {}

    def reserve(self, key: str, now: float, interval: float, max_wait: float):
        """As RESERVE_SCRIPT: (reserved, seconds to wait)."""
        with self._lock:
            tat = max(self._tat.get(key, 0.0), now)
            wait = tat - now
            if wait > max_wait:
                return False, wait
            self._tat[key] = tat + interval
            return True, wait


class RedisStore:
    """The TAT in Redis, for every worker; the local store while Redis is unreachable.

    `client`: a redis.Redis with short socket timeouts; `retry_seconds`: how long after
    an error the process keeps the cap on its own before asking Redis again.
    """

    def __init__(self, client: redis.Redis, retry_seconds: float, clock=time.monotonic):
        self.script = client.register_script(RESERVE_SCRIPT)
        self.fallback = LocalStore()
        self.retry_seconds, self.clock = retry_seconds, clock
        self._unavailable_until = 0.0

    def reserve(self, key: str, now: float, interval: float, max_wait: float):
        """As RESERVE_SCRIPT: (reserved, seconds to wait)."""
        if self.clock() >= self._unavailable_until:
            try:
                reserved, wait = self.script(
                    keys=[key], args=[repr(now), repr(interval), repr(max_wait)]
                )
                return bool(reserved), float(wait)
            except redis.RedisError as exc:
                self._unavailable_until = self.clock() + self.retry_seconds
                logger.warning(
                    "EMAIL_MAX_PER_SECOND kept per process for %s s: Redis unavailable (%s: %s)",
                    self.retry_seconds,
                    type(exc).__name__,
                    exc,
                )
        return self.fallback.reserve(key, now, interval, max_wait)


class Limiter:
    """At most `rate` messages a second, over every Limiter sharing `store`.

    `clock` (seconds since the epoch) and `sleep` are time.time and time.sleep unless
    given (tests pass a fake clock).

    A sender that wakes more than LATE_TOLERANCE (or one interval, if longer) after its
    slot gives the slot up and reserves another. Without that, a worker stalled for a
    moment (a busy CPU, its threads claiming their next batches at once) sent the
    messages of every slot it had missed together, on top of the other workers' on-time
    ones: measured in bench/reminders.py, 107 messages within one second under a cap of
    100. With it, any one second holds at most rate x (1 + tolerance) + 1 sends.
    """

    LATE_TOLERANCE = 0.02  # seconds

    def __init__(self, rate: float, store, *, key: str = KEY, clock=time.time, sleep=time.sleep):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval, self.store, self.key = 1.0 / rate, store, key
        self.clock, self.sleep = clock, sleep
        self.tolerance = max(self.LATE_TOLERANCE, self.interval)

    def wait_for_slot(self, max_wait: float, between=None) -> None:
        """Return at this sender's slot (after sleeping until it), at most `tolerance`
        seconds after it.

        `max_wait`: the longest wait reserved at once (seconds); while slots are further
        ahead, `between()` (if given) is called after each wait of at most max_wait,
        e.g. to renew a lease.
        """
        while True:
            now = self.clock()
            reserved, wait = self.store.reserve(self.key, now, self.interval, max_wait)
            if not reserved:
                self.sleep(min(wait - max_wait, max_wait))
                if between is not None:
                    between()
                continue
            # Until the slot itself: the reservation's round trip is part of the wait.
            slot = now + wait
            if (left := slot - self.clock()) > 0:
                self.sleep(left)
            late = self.clock() - slot
            if late <= self.tolerance:
                return
            logger.debug("A send slot was missed by %.3f s: reserving another", late)


def current() -> Limiter | None:
    """The limiter for settings.EMAIL_MAX_PER_SECOND; None when there is no cap (0).

    It paces at EMAIL_RATE_HEADROOM_PERCENT (default 3 %) under the quota. Slots are
    kept to within LATE_TOLERANCE, but what happens after a slot (writing the message,
    three SMTP round trips) can itself be held up: in bench/reminders.py the threads
    of a worker claiming their next batches together held others for 30-60 ms, and
    the messages of those slots then reached the relay with the next ones, up to 7
    over the cap of 100 within one second. At 100 a second each 10 ms of such a stall
    is one message more, so 3 % leaves room for 30 ms.
    """
    headroom = settings.EMAIL_RATE_HEADROOM_PERCENT / 100
    return _limiter(settings.EMAIL_MAX_PER_SECOND * (1 - headroom), settings.REDIS_URL)


@functools.cache
def _limiter(rate: float, redis_url: str) -> Limiter | None:
    if not rate:
        return None
    if not redis_url:
        return Limiter(rate, LocalStore())
    timeout = settings.CACHE_TIMEOUT_MS / 1000
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=timeout, socket_timeout=timeout)
    return Limiter(rate, RedisStore(client, settings.CACHE_RETRY_SECONDS))
