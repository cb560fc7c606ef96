"""Loopback SMTP sinks (aiosmtpd) for bench/reminders.py and bench/reminders_chaos.py.

SlowSink: a process of its own (so that it shares no GIL with a client) that answers
250 to each message after SMTP_LATENCY (20 ms, a real relay's round trip) and records
when each arrived. FlakySink: a handler for this process that answers after `delay`
seconds, refuses one message in 40 with 421 and records what was accepted.
"""

import asyncio
import logging
import multiprocessing
import socket
import threading
import time
from email.parser import BytesHeaderParser

SMTP_LATENCY = 0.020  # seconds before the slow sink answers a message


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SlowHandler:
    """Answers 250 to each message after SMTP_LATENCY; notes when each arrived.

    A message arrives when its DATA ends, before the relay's SMTP_LATENCY of work: that
    is the moment a relay's send-rate quota counts, and a time taken after the sleep
    would add the event loop's wake-up jitter (16 sessions under load) to the
    busiest-second figure the cap is judged by.
    """

    def __init__(self, counter, arrivals):
        self.counter, self.arrivals = counter, arrivals

    async def handle_DATA(self, server, session, envelope):
        arrived = time.time()
        await asyncio.sleep(SMTP_LATENCY)
        with self.counter.get_lock():
            index = self.counter.value
            self.counter.value += 1
        if index < len(self.arrivals):
            self.arrivals[index] = arrived
        return "250 OK"


def run_sink(port, counter, arrivals, ready, stop):
    """The sink process: serves SlowHandler on 127.0.0.1:`port` from `ready` to `stop`."""
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(SlowHandler(counter, arrivals), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class SlowSink:
    """SlowHandler in a spawned process. `port`; `counter`, messages answered so far (a
    shared Value, reset by the caller); `arrivals`, the time.time() (seconds) of each of
    the first `capacity` messages, in order of arrival."""

    def __init__(self, capacity: int):
        spawn = multiprocessing.get_context("spawn")
        self.counter, self.ready, self.stopping = spawn.Value("q", 0), spawn.Event(), spawn.Event()
        self.arrivals = spawn.Array("d", capacity, lock=False)
        self.port = free_port()
        self.process = spawn.Process(
            target=run_sink,
            args=(self.port, self.counter, self.arrivals, self.ready, self.stopping),
            daemon=True,
        )

    def start(self) -> None:
        self.process.start()

    def wait_ready(self) -> None:
        """Raises SystemExit when the sink has not started within 30 s."""
        if not self.ready.wait(30):
            raise SystemExit("the SMTP sink did not start")

    def stop(self) -> None:
        self.stopping.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


class FlakySink:
    """Records (recipient, X-Alliance-Reminder-Id) of each accepted message in `received`
    (under `lock`) after `delay` seconds; refuses 1 in 40 with a 421, to be retried."""

    def __init__(self, delay: float):
        self.delay, self.lock, self.seen = delay, threading.Lock(), 0
        self.received: list[tuple[str, str | None]] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        with self.lock:
            self.seen += 1
            if self.seen % 40 == 0:
                return "421 Service not available, try again later"
            headers = BytesHeaderParser().parsebytes(envelope.original_content)
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, headers.get("X-Alliance-Reminder-Id")))
        return "250 Message accepted for delivery"
