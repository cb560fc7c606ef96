"""How fast do meeting reminders leave, compared with what the SMTP link allows?

    DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://… .venv/bin/python bench/reminders.py
    [--count 10000] [--pools prefork,threads,solo] [--profile-rows 1000]

In a database of its own (alliance_bench_reminders, created, migrated and dropped
here) it builds one network, COUNT officials of active member cities and one meeting
with one reminder rule, every ledger row due now. An SMTP sink on loopback (aiosmtpd,
in a process of its own) counts what it receives.

(A) Ceiling: plain smtplib over one connection sends COUNT copies of one real reminder
    (built once with networks.meetings.reminders.reminder_message), each to its recipient.
(B) Real path: a Celery worker (a subprocess, as in production) gets due_batches()
    through Redis as send_reminder_batch tasks, and the clock runs until the sink has
    COUNT messages and every ledger row is "sent". Beat is emulated without its
    60-second period: the next due_batches() is published as soon as every row
    published so far has been claimed (one tick publishes at most DISPATCH_LIMIT rows).
    The worker's memory is sampled: the sum of VmRSS (and of Pss, which does not count
    pages shared by the prefork children twice) of the worker and its children.

Targets: real path >= 70 % of the ceiling; worker memory < 250 MB. They are judged on
the pool production runs (settings.CELERY_WORKER_POOL, with its concurrency); the other
pools are measured for comparison. When the ratio is missed, the phases of
send_reminders (claim, load, render, send, stamp) are timed in this process over
--profile-rows rows, with cProfile's top functions.

Exit status: 0 the production pool meets both targets, 1 it misses one, 2 no PostgreSQL
or no Redis broker.
"""

import argparse
import contextlib
import cProfile
import datetime
import io
import multiprocessing
import os
import pstats
import secrets
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
BENCH_DB = "alliance_bench_reminders"
RATIO_TARGET = 0.70
MEMORY_TARGET_MB = 250


# --cache-vtimezone: measure the proposed fix (build each VTIMEZONE once per process)
# without changing the portal's code; the workers start through this launcher.
CACHE_VTIMEZONE = """
import functools
from icalendar.cal import Timezone
Timezone.from_tzid = classmethod(functools.lru_cache(maxsize=64)(Timezone.from_tzid.__func__))
"""
WORKER_LAUNCHER = (
    CACHE_VTIMEZONE
    + """
import sys
from celery.__main__ import main
sys.exit(main())
"""
)


# The SMTP sink (a process of its own, so that it does not share a GIL with a client) ----


class CountingHandler:
    def __init__(self, counter):
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 OK"


def run_sink(port, counter, ready, stop):
    from aiosmtpd.controller import Controller

    controller = Controller(CountingHandler(counter), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The database -----------------------------------------------------------------------


def admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def recreate_database(url: str) -> None:
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database(url: str) -> None:
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def build_ledger(count: int):
    from django.utils import timezone

    from alliance.models import User
    from cities.models import City, CityOfficial
    from networks.meetings.services import meeting_schedule
    from networks.models import Meeting, Membership, Network, ReminderRule

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
    users = User.objects.bulk_create(
        (
            User(email=f"official{n}@bench.example.org", first_name="Ana", last_name=f"N{n}")
            for n in range(count)
        ),
        batch_size=2000,
    )
    zones = ["America/Bogota", "America/Sao_Paulo", "Europe/Madrid", "Asia/Tokyo"]
    cities = City.objects.bulk_create(
        (
            City(
                name=f"Ciudad {n}",
                slug=f"ciudad-{n}",
                country="CO",
                region="latam",
                time_zone=zones[n % len(zones)],
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    CityOfficial.objects.bulk_create(
        (
            CityOfficial(user=user, city=city, role=CityOfficial.Role.FOCAL_POINT)
            for user, city in zip(users, cities, strict=True)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (Membership(city=city, network=network, status="active") for city in cities),
        batch_size=2000,
    )
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


# (A) The ceiling --------------------------------------------------------------------


def ceiling(meeting, port: int, counter) -> float:
    from django.conf import settings

    from networks.meetings.reminders import reminder_message

    rows = list(meeting.reminders.select_related("recipient").order_by("pk"))
    sample = (
        meeting.reminders.select_related("meeting__network", "recipient__official__city", "rule")
        .order_by("pk")
        .first()
    )
    data = reminder_message(sample).message().as_bytes(linesep="\r\n")
    start_count = counter.value
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        for row in rows:
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [row.recipient.email], data)
    seconds = time.perf_counter() - started
    assert counter.value - start_count == len(rows), "the sink missed messages"
    print(f"    one message: {len(data):,} bytes")
    return len(rows) / seconds


# (B) The real path ------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    children = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def memory_kb(pids: list[int]) -> tuple[int, int]:
    """Sum of VmRSS and of Pss over `pids`, in kB."""
    rss = pss = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
    return rss, pss


class MemorySampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self.peak_processes = 0
        self.idle_rss = memory_kb(process_tree(pid))[0]  # ready, before the first task
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            pids = process_tree(self.pid)
            rss, pss = memory_kb(pids)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.stopping.wait(0.1)


def start_worker(
    pool: str, queue: str, smtp_port: int, log: Path, cache_vtimezone: bool
) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), PYTHONUNBUFFERED="1")
    # Through the settings: Celery reads an explicit --pool=prefork as "the default" and
    # replaces it with the configured pool.
    env.update(CELERY_WORKER_POOL=pool, CELERY_WORKER_CONCURRENCY=str(concurrency(pool)))
    launcher = ["-c", WORKER_LAUNCHER] if cache_vtimezone else ["-m", "celery"]
    command = [
        sys.executable,
        *launcher,
        "-A",
        "alliance",
        "worker",
        "--loglevel=INFO",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
    ]
    with log.open("wb") as out:
        worker = subprocess.Popen(  # noqa: S603
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    return worker


def concurrency(pool: str) -> int:
    """The production pool's configured concurrency; prefork: one process per core."""
    from django.conf import settings

    if pool == settings.CELERY_WORKER_POOL:
        return settings.CELERY_WORKER_CONCURRENCY
    return {"prefork": 2, "threads": 4}.get(pool, 1)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def forget_queue(broker_url: str, token: str) -> None:
    import redis

    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    mark = token.encode()
    for key in client.scan_iter(match=f"*{token}*"):
        client.delete(key)
    for key in client.scan_iter(match="_kombu.binding.*"):
        for member in client.smembers(key):
            if mark in member:
                client.srem(key, member)
    client.close()


def real_path(meeting, pool: str, port: int, counter, workdir: Path, cache_vtimezone: bool) -> dict:
    from networks.meetings.reminders import due_batches
    from networks.models import Reminder
    from networks.tasks import send_reminder_batch

    count = meeting.reminders.count()
    reset_ledger(meeting)
    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    worker = start_worker(pool, queue, port, workdir / f"worker-{pool}.log", cache_vtimezone)
    sampler = MemorySampler(worker.pid)
    sampler.start()
    try:
        start_count = counter.value
        published = ticks = 0
        started = time.perf_counter()
        deadline = time.monotonic() + max(300, count / 10)
        while True:
            pending = Reminder.objects.filter(status="pending").count()
            if pending and pending <= count - published:  # all published rows claimed
                batches = due_batches()
                for batch in batches:
                    send_reminder_batch.apply_async((batch,), queue=queue)
                published += sum(len(batch) for batch in batches)
                ticks += 1
            sent = counter.value - start_count
            if sent >= count and not Reminder.objects.exclude(status="sent").exists():
                break
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    f"{pool}: stopped at {sent}/{count} messages\n"
                    + (workdir / f"worker-{pool}.log").read_text()[-3000:]
                )
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        duplicates = counter.value - start_count - count
    finally:
        sampler.stopping.set()
        sampler.join()
        stop_worker(worker)
        from django.conf import settings

        forget_queue(settings.CELERY_BROKER_URL, queue)
    return {
        "rate": count / seconds,
        "seconds": seconds,
        "ticks": ticks,
        "duplicates": duplicates,
        "rss_mb": sampler.peak_rss / 1024,
        "idle_rss_mb": sampler.idle_rss / 1024,
        "pss_mb": sampler.peak_pss / 1024,
        "processes": sampler.peak_processes,
    }


# Where the time goes ----------------------------------------------------------------


def phases(meeting, port: int, rows: int) -> None:
    """send_reminders in this process, as a solo worker runs it: its phases, then cProfile."""
    from django.conf import settings
    from django.core.mail.backends.smtp import EmailBackend

    from alliance import delivery
    from networks.meetings import reminders
    from networks.models import Reminder

    # The backend a worker uses when EMAIL_HOST is set (Django's SMTP backend, whose
    # send_messages the timing below wraps, with cheaper address handling).
    settings.EMAIL_BACKEND = "alliance.mail_backends.SMTPBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    ids = list(meeting.reminders.order_by("pk").values_list("pk", flat=True)[:rows])
    spent: dict[str, float] = defaultdict(float)

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    def run() -> float:
        reset_ledger(meeting)
        started = time.perf_counter()
        for start in range(0, len(ids), reminders.BATCH):
            reminders.send_reminders(ids[start : start + reminders.BATCH])
        seconds = time.perf_counter() - started
        assert Reminder.objects.filter(pk__in=ids, status="sent").count() == len(ids)
        return seconds

    patched = {
        "claim (one UPDATE, then SELECT by token)": (delivery, "claim"),
        "reminder_message": (reminders, "reminder_message"),
        "templates (render_email: subject, text, html)": (reminders, "render_email"),
        "ics (meeting_ics)": (reminders, "meeting_ics"),
        "send_messages": (EmailBackend, "send_messages"),
        "SMTP round trip (smtplib sendmail)": (smtplib.SMTP, "sendmail"),
        "stamp (one UPDATE + commit per row)": (delivery, "mark_sent"),
    }
    originals = {name: getattr(owner, attribute) for name, (owner, attribute) in patched.items()}
    for name, (owner, attribute) in patched.items():
        setattr(owner, attribute, timed(name, originals[name]))
    try:
        total = run()
    finally:
        for name, (owner, attribute) in patched.items():
            setattr(owner, attribute, originals[name])
    smtp = spent["SMTP round trip (smtplib sendmail)"]
    spent["message object (EmailMultiAlternatives)"] = (
        spent.pop("reminder_message")
        - spent["templates (render_email: subject, text, html)"]
        - spent["ics (meeting_ics)"]
    )
    spent["MIME serialisation (send_messages less SMTP)"] = spent.pop("send_messages") - smtp
    spent["the rest (load rows, late check, connect)"] = total - sum(spent.values())
    n = len(ids)
    print(f"\n  Phases of send_reminders over {n} rows, in this process (no profiler):")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"    {name:<46} {seconds * 1000 / n:6.2f} ms/message {100 * seconds / total:5.1f} %")
    print(f"    {'total':<46} {total * 1000 / n:6.2f} ms/message = {n / total:,.0f}/s")

    profile = cProfile.Profile()
    profile.runcall(run)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(25)
    print("\n  cProfile of the same run, top 25 by own time:")
    print("\n".join("    " + line for line in out.getvalue().splitlines()[4:36]))


# Main -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--pools", default="prefork,threads,solo", help="comma-separated worker pools"
    )
    parser.add_argument("--profile-rows", type=int, default=1000)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the bench database")
    parser.add_argument(
        "--cache-vtimezone",
        action="store_true",
        help="what-if: build each VTIMEZONE once per process (workers and the phases)",
    )
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in {"postgres", "postgresql"}:
        print("DATABASE_URL must point at PostgreSQL (postgres://…).", file=sys.stderr)
        return 2
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        print("CELERY_BROKER_URL must point at Redis (redis://…).", file=sys.stderr)
        return 2
    try:
        recreate_database(database_url)
    except Exception as exc:
        print(f"cannot create {BENCH_DB}: {exc}", file=sys.stderr)
        return 2

    parts = urlsplit(database_url)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("SITE_URL", "https://portal.example.org")
    os.environ.pop("EMAIL_HOST", None)
    sys.path.insert(0, str(REPO))

    spawn = multiprocessing.get_context("spawn")
    counter, ready, stop = spawn.Value("q", 0), spawn.Event(), spawn.Event()
    port = free_port()
    sink = spawn.Process(target=run_sink, args=(port, counter, ready, stop), daemon=True)
    sink.start()
    try:
        if not ready.wait(30):
            raise SystemExit("the SMTP sink did not start")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from alliance.celery import app

        app.conf.task_always_eager = False
        if args.cache_vtimezone:
            print("WHAT-IF run: VTIMEZONE components cached per process (not the code as it is)")
            exec(CACHE_VTIMEZONE, {})  # noqa: S102 - a constant of this file
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        meeting = build_ledger(args.count)
        count = meeting.reminders.count()
        print(
            f"Ledger: {count:,} reminders due now "
            f"(built in {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs)"
        )

        print("\n(A) Ceiling: smtplib, one connection, the same message bytes")
        ceiling_rate = ceiling(meeting, port, counter)
        print(f"    {ceiling_rate:,.0f} messages/s")

        workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
        print(f"\n(the workers' logs go to {workdir})")
        from django.conf import settings

        production = settings.CELERY_WORKER_POOL
        results = {}
        for pool in [p.strip() for p in args.pools.split(",") if p.strip()]:
            role = "production (CELERY_WORKER_POOL)" if pool == production else "comparison"
            print(f"\n(B) Real path: Celery worker ({pool} ×{concurrency(pool)}, {role}) → SMTP")
            result = real_path(meeting, pool, port, counter, workdir, args.cache_vtimezone)
            results[pool] = result
            ratio = result["rate"] / ceiling_rate
            print(
                f"    {result['rate']:,.0f} messages/s ({result['seconds']:.1f} s, "
                f"{result['ticks']} dispatches, {result['duplicates']} duplicates)"
            )
            print(
                f"    ratio to the ceiling: {100 * ratio:.1f} % "
                f"(target ≥ {100 * RATIO_TARGET:.0f} %): "
                + ("PASS" if ratio >= RATIO_TARGET else "FAIL")
            )
            print(
                f"    peak worker memory: {result['rss_mb']:.0f} MB RSS summed over "
                f"{result['processes']} processes (idle: {result['idle_rss_mb']:.0f} MB), "
                f"{result['pss_mb']:.0f} MB PSS "
                f"(target < {MEMORY_TARGET_MB} MB RSS): "
                + ("PASS" if result["rss_mb"] < MEMORY_TARGET_MB else "FAIL")
            )

        judged = results.get(production)
        if judged is None:
            print(f"\nThe production pool ({production}) was not measured: no verdict.")
            ok = False
        else:
            ok = (
                judged["rate"] / ceiling_rate >= RATIO_TARGET
                and judged["rss_mb"] < MEMORY_TARGET_MB
            )
            print(
                f"\nProduction pool ({production} ×{concurrency(production)}): "
                + ("both targets met." if ok else "a target MISSED.")
            )
        if judged and judged["rate"] / ceiling_rate < RATIO_TARGET and args.profile_rows > 0:
            phases(meeting, port, min(args.profile_rows, count))
        connection.close()
        return 0 if ok else 1
    finally:
        stop.set()
        sink.join(10)
        if sink.is_alive():
            sink.kill()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not args.keep_db:
            drop_database(database_url)


if __name__ == "__main__":
    sys.exit(main())
