"""How fast do meeting reminders leave through a relay that takes 20 ms a message?

    DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://… REDIS_URL=redis://… \
        .venv/bin/python bench/reminders.py [--count 6000] [--cap 100] [--pairs 3] [--baseline DIR]

In a database of its own (BENCH_DB, default alliance_bench_reminders: created, migrated
and dropped here) it builds one network, COUNT officials of active member cities in
four time zones and one meeting with one reminder rule, every ledger row due now. An
SMTP sink on loopback (aiosmtpd, a process of its own) answers each message after
20 ms, as a real relay's round trip, and records when each arrived.

Workers are started as production starts them (`celery -A alliance worker`, the pool
of settings.CELERY_WORKER_POOL with its concurrency, see Procfile.dev and
docker-compose.yml), each on a queue of this run. Beat is emulated without its
60-second period: the next due_batches() is published as soon as every row published
so far has been claimed. Measured:

(1) one worker: messages a second, over the middle 90 % of arrivals at the sink;
(2) two workers: the same, and its ratio to (1); (1) and (2) are measured back to
    back PAIRS times (default 3), and the pair with the median ratio is the one
    reported and judged, so that the machine's drift between runs is not;
(3) two workers with EMAIL_MAX_PER_SECOND=CAP: the rate, and the most messages that
    arrived within any one second, against the cap;
and the peak RSS of each worker (the sum over its processes), and the workers' CPU time
per message (what bounds (2) on a machine whose cores the sink, PostgreSQL and Redis
share; less sensitive than the rates to other load on the machine).

Targets (issue #16): (1) >= 150 messages/s; (2) >= 1.8 x (1); (3) within 5 % of the
cap; worker RSS < 150 MB. With --baseline DIR (a checkout of another revision with the
same migrations, e.g. `git archive main | tar -x -C DIR`), (1) and (2) are also run
with that revision's workers, in the same run, for a before/after.

Exit status: 0 every target met, 1 one missed, 2 no PostgreSQL or no Redis broker.
"""

import argparse
import contextlib
import datetime
import os
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

import scratchdb
from mailsink import SMTP_LATENCY, SlowSink
from reminder_data import member_cities
from workers import REPO, MemorySampler, forget_queue, start_worker, stop_workers

BENCH_DB = os.environ.get("BENCH_DB", "alliance_bench_reminders")
RATE_TARGET = 150  # messages/s, one worker
SCALING_TARGET = 1.8  # two workers against one
CAP_TOLERANCE = 0.05  # a fraction of the cap
MEMORY_TARGET_MB = 150


def build_ledger(count: int):
    """One network, `count` member cities with one official each, one meeting and its
    one-day reminder rule; returns the meeting (its ledger rows made)."""
    from django.utils import timezone

    from networks.meetings.services import meeting_schedule
    from networks.models import Meeting, Network, ReminderRule

    network = Network.objects.create(
        name="Bench Network",
        slug="bench-network",
        kind=Network.Kind.REGIONAL,
        scope_region="latam",
        host_organisation="C4IR Colombia",
        time_zone="America/Bogota",
        default_language="en",
    )
    ReminderRule.objects.create(network=network, minutes_before=24 * 60)
    member_cities(network, count, email="official{n}@bench.example.org")
    return meeting_schedule(
        meeting=Meeting(
            network=network,
            title="Quarterly meeting of the network",
            agenda="1. Open data clinic\n2. Pioneer cities report\n3. Next steps",
            starts_at=timezone.now() + datetime.timedelta(days=10),
            place="Ruta N, Medellín",
            online_url="https://meet.example.org/alliance",
        )
    )


def reset_ledger(meeting) -> None:
    """Every row pending and due now, as if never sent."""
    from django.utils import timezone

    now = timezone.now()
    meeting.reminders.update(
        status="pending",
        attempts=0,
        due_at=now,
        next_attempt_at=now,
        claimed_at=None,
        claim_token=None,
        sent_at=None,
        last_error="",
    )


def run(  # noqa: PLR0913 - the run's settings, named at each call
    meeting, *, workers: int, cap: int, code: Path, sink: SlowSink, workdir: Path, arrivals=None
) -> dict:
    """Send the whole ledger with `workers` workers of the checkout `code`; the sink's
    arrivals give the rate (messages/s over the middle 90 %) and the most in any one
    second (written to the folder `arrivals` if given). Returns {"rate",
    "busiest_second", "duplicates", "rss_mb": [per worker], "cpu_ms": the workers' CPU
    time per message, start-up excluded}."""
    from django.conf import settings

    from networks.meetings.reminders import due_batches
    from networks.models import Reminder
    from networks.tasks import send_reminder_batch

    count = meeting.reminders.count()
    reset_ledger(meeting)
    with sink.counter.get_lock():
        sink.counter.value = 0
    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    started = [
        start_worker(
            queue,
            sink.port,
            workdir / f"{queue}-{n}.log",
            code=code,
            env={"EMAIL_MAX_PER_SECOND": str(cap)},
        )
        for n in range(workers)
    ]
    sampler = MemorySampler([worker.pid for worker in started])
    sampler.start()
    try:
        published = 0
        deadline = time.monotonic() + max(300, count / 10)
        while True:
            # Once every row is published, only the end is waited for.
            pending = published < count and Reminder.objects.filter(status="pending").count()
            if pending and pending <= count - published:  # all published rows claimed
                for batch in due_batches():
                    send_reminder_batch.apply_async((batch,), queue=queue)
                    published += len(batch)
            if sink.counter.value >= count and not Reminder.objects.exclude(status="sent").exists():
                break
            if any(w.poll() is not None for w in started) or time.monotonic() > deadline:
                raise SystemExit(
                    f"stopped at {sink.counter.value}/{count} messages; logs: {workdir}"
                )
            time.sleep(0.05)
        duplicates = sink.counter.value - count
    finally:
        sampler.stopping.set()
        sampler.join()
        stop_workers(started)
        forget_queue(settings.CELERY_BROKER_URL, queue)
    times = sorted(sink.arrivals[:count])
    if arrivals is not None:  # one time.time() a line, for a closer look at the cap
        arrivals.mkdir(parents=True, exist_ok=True)
        (arrivals / f"workers-{workers}-cap-{cap}.txt").write_text("\n".join(map(repr, times)))
    low, high = int(count * 0.05), int(count * 0.95)
    return {
        "rate": (high - low) / (times[high] - times[low]),
        "busiest_second": busiest_second(times),
        "duplicates": duplicates,
        "rss_mb": [peak / 1024 for peak in sampler.peak_rss.values()],
        "cpu_ms": sampler.cpu * 1000 / count,
    }


def busiest_second(times: list[float]) -> int:
    """The most arrivals within any one second."""
    start = most = 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def report(label: str, result: dict) -> None:
    rss = ", ".join(f"{mb:.0f}" for mb in result["rss_mb"])
    print(
        f"  {label:<44} {result['rate']:7.1f} messages/s  busiest second "
        f"{result['busiest_second']:4d}  duplicates {result['duplicates']}  RSS {rss} MB  "
        f"CPU {result['cpu_ms']:.2f} ms/message"
    )


def main() -> int:  # noqa: PLR0915 - a script that reads top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--cap", type=int, default=100, help="EMAIL_MAX_PER_SECOND of run 3")
    parser.add_argument("--baseline", type=Path, help="a checkout of the revision to compare")
    parser.add_argument(
        "--pairs",
        type=int,
        default=3,
        help="(1) and (2) alternate this many times; the median pair's ratio is judged",
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the bench database")
    parser.add_argument(
        "--arrivals", type=Path, help="a folder for each run's arrival times at the sink"
    )
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not scratchdb.is_postgresql(database_url):
        print("DATABASE_URL must point at PostgreSQL (postgres://…).", file=sys.stderr)
        return 2
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        print("CELERY_BROKER_URL must point at Redis (redis://…).", file=sys.stderr)
        return 2
    try:
        os.environ["DATABASE_URL"] = scratchdb.recreate(database_url, BENCH_DB)
    except Exception as exc:
        print(f"cannot create {BENCH_DB}: {exc}", file=sys.stderr)
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("SITE_URL", "https://portal.example.org")
    os.environ.pop("EMAIL_HOST", None)
    os.environ.pop("EMAIL_MAX_PER_SECOND", None)
    sys.path.insert(0, str(REPO))

    sink = SlowSink(args.count)
    sink.start()
    try:
        sink.wait_ready()
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from alliance.celery import app

        app.conf.task_always_eager = False
        call_command("migrate", verbosity=0)
        meeting = build_ledger(args.count)
        pool = f"{settings.CELERY_WORKER_POOL} x{settings.CELERY_WORKER_CONCURRENCY}"
        print(
            f"{meeting.reminders.count():,} reminders due now; sink answers after "
            f"{SMTP_LATENCY * 1000:.0f} ms; worker pool {pool}; {os.cpu_count()} CPUs"
        )
        workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
        print(f"(the workers' logs go to {workdir})\n")

        def measure(label, workers, cap=0, code=REPO):
            result = run(
                meeting,
                workers=workers,
                cap=cap,
                code=code,
                sink=sink,
                workdir=workdir,
                arrivals=args.arrivals,
            )
            report(label, result)
            return result

        baseline = {}
        if args.baseline:
            baseline[1] = measure(f"before ({args.baseline}): one worker", 1, code=args.baseline)
            baseline[2] = measure(f"before ({args.baseline}): two workers", 2, code=args.baseline)
        pairs = []
        for number in range(1, max(1, args.pairs) + 1):
            one = measure(f"(1) one worker, pair {number}", 1)
            two = measure(f"(2) two workers, pair {number}", 2)
            pairs.append((two["rate"] / one["rate"], one, two))
            print(f"      pair {number}: two workers / one = {pairs[-1][0]:.2f}x")
        # The machine's speed drifts between runs (CPU per message moved by half on a
        # shared 2-core machine): each pair is measured back to back, and the median
        # pair stands for the code.
        scaling, one, two = sorted(pairs, key=lambda pair: pair[0])[len(pairs) // 2]
        capped = measure(f"(3) two workers, EMAIL_MAX_PER_SECOND={args.cap}", 2, cap=args.cap)

        cap_error = (
            max(abs(capped["rate"] - args.cap), max(0, capped["busiest_second"] - args.cap))
            / args.cap
        )
        measured = [run for _ratio, *both in pairs for run in both] + [capped]
        peak = max(mb for run in measured for mb in run["rss_mb"])
        checks = [
            (f"one worker >= {RATE_TARGET}/s: {one['rate']:.1f}", one["rate"] >= RATE_TARGET),
            (
                f"two workers >= {SCALING_TARGET}x one: {scaling:.2f}x (median of "
                f"{', '.join(f'{ratio:.2f}' for ratio, _one, _two in pairs)})",
                scaling >= SCALING_TARGET,
            ),
            (
                f"cap {args.cap}/s within {CAP_TOLERANCE:.0%}: rate {capped['rate']:.1f}, "
                f"busiest second {capped['busiest_second']} ({cap_error:.1%})",
                cap_error <= CAP_TOLERANCE,
            ),
            (f"worker RSS < {MEMORY_TARGET_MB} MB: peak {peak:.0f} MB", peak < MEMORY_TARGET_MB),
        ]
        if baseline:
            print(
                f"\n  before/after: one worker {baseline[1]['rate']:.1f} -> {one['rate']:.1f}/s "
                f"({one['rate'] / baseline[1]['rate']:.2f}x), two workers "
                f"{baseline[2]['rate']:.1f} -> {two['rate']:.1f}/s "
                f"({two['rate'] / baseline[2]['rate']:.2f}x); before, two/one = "
                f"{baseline[2]['rate'] / baseline[1]['rate']:.2f}x"
            )
        print()
        for text, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
        connection.close()
        return 0 if all(ok for _, ok in checks) else 1
    finally:
        sink.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not args.keep_db:
            scratchdb.drop(database_url, BENCH_DB)


if __name__ == "__main__":
    sys.exit(main())
