"""EMAIL_MAX_PER_SECOND: the cap holds across workers sharing one store (fake clock)."""

import pytest
import redis

from alliance.mail import delivery, outbox, ratelimit
from tests.alliance.test_outbox import queued
from tests.private_redis import PrivateRedis, free_port


class FakeClock:
    """time.time and time.sleep of a world where sleeping takes no real time."""

    def __init__(self, now: float = 1_764_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds


@pytest.fixture(params=["local", "redis"])
def store(request):
    """What the limiters of two workers share: the process's store or one Redis."""
    if request.param == "local":
        yield ratelimit.LocalStore()
        return
    server = PrivateRedis().start()
    client = redis.Redis.from_url(server.url, socket_timeout=1)
    yield ratelimit.RedisStore(client, retry_seconds=10)
    client.close()
    server.kill()


def send_times(limiters, clock, messages: int) -> list[float]:
    """The clock at each send, the workers taking turns as their threads would."""
    times = []
    for n in range(messages):
        limiters[n % len(limiters)].wait_for_slot(max_wait=5)
        times.append(clock())
    return times


def most_in_any_second(times: list[float]) -> int:
    start, most = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0 - 1e-6:  # a second, less float rounding
            start += 1
        most = max(most, end - start + 1)
    return most


def test_two_workers_together_keep_the_cap(store):
    clock = FakeClock()
    workers = [
        ratelimit.Limiter(50, store, key="test", clock=clock, sleep=clock.sleep) for _ in range(2)
    ]
    times = send_times(workers, clock, 1000)
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 50 * 0.95 <= rate <= 50 * 1.05
    assert most_in_any_second(times) <= 50 * 1.05


def test_workers_that_do_not_share_a_store_would_break_it():
    # The measure above can fail: a store per worker lets each send at the full cap.
    clock = FakeClock()
    workers = [
        ratelimit.Limiter(50, ratelimit.LocalStore(), clock=clock, sleep=clock.sleep)
        for _ in range(2)
    ]
    times = send_times(workers, clock, 1000)
    assert (len(times) - 1) / (times[-1] - times[0]) > 50 * 1.9


def test_a_quiet_spell_earns_no_burst(store):
    clock = FakeClock()
    limiter = ratelimit.Limiter(10, store, key="quiet", clock=clock, sleep=clock.sleep)
    send_times([limiter], clock, 5)
    clock.now += 60  # nothing to send for a minute
    times = send_times([limiter], clock, 20)
    assert most_in_any_second(times) <= 10


def test_a_sender_that_wakes_late_gives_its_slot_up(store):
    # A worker stalled past its slot (a busy CPU) while the others send on time: sending
    # in the missed slot would put one message more than the cap into a second.
    clock = FakeClock()
    start, others = clock(), []
    for _ in range(3):
        others.append(start + store.reserve("late", start, 0.1, 5)[1])
    stalls = [0.5]

    def sleep(seconds):
        if stalls:  # while this sender oversleeps, the next ten slots go to the others
            for _ in range(10):
                others.append(clock() + store.reserve("late", clock(), 0.1, 5)[1])
            seconds += stalls.pop()
        clock.sleep(seconds)

    limiter = ratelimit.Limiter(10, store, key="late", clock=clock, sleep=sleep)
    limiter.wait_for_slot(max_wait=5)
    assert clock() > max(others)  # it took the next free slot, after the others'
    assert most_in_any_second(sorted([*others, clock()])) <= 10


def test_a_sender_a_little_late_keeps_its_slot(store):
    clock = FakeClock()
    reservations = []

    class Counting:
        def reserve(self, *args):
            reservations.append(args)
            return store.reserve(*args)

    def sleep(seconds):  # every wake-up 15 ms late, within the tolerance
        clock.sleep(seconds + 0.015)

    limiter = ratelimit.Limiter(10, Counting(), key="a-little", clock=clock, sleep=sleep)
    for _ in range(5):
        limiter.wait_for_slot(max_wait=5)
    assert len(reservations) == 5


def test_a_far_slot_is_waited_for_in_steps_that_keep_the_lease(store):
    clock = FakeClock()
    limiter = ratelimit.Limiter(1, store, key="slow", clock=clock, sleep=clock.sleep)
    for _ in range(12):  # twelve senders ahead: the next slot is twelve seconds away
        store.reserve("slow", clock(), 1.0, 60)
    renewals = []
    limiter.wait_for_slot(max_wait=5, between=lambda: renewals.append(clock()))
    assert clock() == pytest.approx(1_764_000_012.0)
    assert len(renewals) >= 2
    assert all(b - a <= 5 for a, b in zip([1_764_000_000.0, *renewals], renewals, strict=False))


def test_with_redis_unreachable_each_process_keeps_the_cap_and_mail_goes_out(caplog):
    clock = FakeClock()
    client = redis.Redis(port=free_port(), socket_connect_timeout=0.2, socket_timeout=0.2)
    limiter = ratelimit.Limiter(
        20, ratelimit.RedisStore(client, retry_seconds=10), clock=clock, sleep=clock.sleep
    )
    times = send_times([limiter], clock, 100)
    assert most_in_any_second(times) <= 20
    assert "Redis unavailable" in caplog.text


@pytest.mark.django_db
def test_the_delivery_loop_waits_for_each_messages_slot(settings, mailoutbox, monkeypatch):
    clock = FakeClock()
    settings.EMAIL_MAX_PER_SECOND = 10
    settings.REDIS_URL = ""
    limiter = ratelimit.Limiter(10, ratelimit.LocalStore(), clock=clock, sleep=clock.sleep)
    monkeypatch.setattr(ratelimit, "current", lambda: limiter)
    sent_at = []
    monkeypatch.setattr(delivery, "mark_sent", lambda row: sent_at.append(clock()))
    emails = [queued(to=f"p{n}@example.org") for n in range(30)]
    outbox.deliver([email.pk for email in emails])
    assert len(mailoutbox) == 30
    assert most_in_any_second(sent_at) <= 10
    assert sent_at[-1] - sent_at[0] == pytest.approx(2.9)


def test_no_cap_configured_means_no_limiter(settings):
    settings.EMAIL_MAX_PER_SECOND = 0
    assert ratelimit.current() is None
    settings.EMAIL_MAX_PER_SECOND, settings.REDIS_URL = 7, ""
    assert isinstance(ratelimit.current().store, ratelimit.LocalStore)


def test_the_workers_pace_a_little_under_the_relays_quota(settings):
    settings.REDIS_URL = ""
    settings.EMAIL_MAX_PER_SECOND, settings.EMAIL_RATE_HEADROOM_PERCENT = 100, 3
    assert ratelimit.current().interval == pytest.approx(1 / 97)
    settings.EMAIL_RATE_HEADROOM_PERCENT = 0  # the operator's relay allows no less
    assert ratelimit.current().interval == pytest.approx(1 / 100)
