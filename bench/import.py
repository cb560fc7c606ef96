"""Imports of 200,000 cities and 150,000 memberships, through the admin's code path.

    DATABASE_URL=postgres://.../alliance_bench .venv/bin/python bench/import.py --flush
        [--cities 200000] [--memberships 150000]

Empties the database it is given first (--flush is required: use a database of its
own). Generates the two files (CSV, GeoNames-like names with accents and name clashes),
stores each as an ImportJob as the admin's upload does, and runs the two Celery tasks
the admin queues (networks.tasks.import_preview, then import_execute after the
confirmation) each in a child process set up as a worker is (alliance.celery's worker
start: no admin modules, bounded statements), so that its peak memory (ru_maxrss from
wait4) is the worker's own. Prints rows/s and peak memory for each pass, against a
baseline in the same run (seconds from the job's start to its end, without the
process's start-up): a plain COPY of the same rows into a table of the same
columns. Targets (issue #19): ≥ 5,000 rows/s and ≤ 300 MB for each import. Exits 0
either way (it is a measurement), 2 when it cannot measure.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import production_environment

MIN_ROWS_PER_SECOND = 5_000
MAX_WORKER_MB = 300
NETWORKS = 20
NAMES = [
    "San José",
    "Córdoba",
    "São Paulo",
    "Łódź",
    "Santa Cruz",
    "Valparaíso",
    "Göteborg",
    "Medellín",
    "Zürich",
    "Kraków",
    "Nuuk",
    "Đà Nẵng",
    "L’Aquila",
    "Bogotá",
    "Quito",
]
COUNTRIES = [
    ("CO", "America/Bogota"),
    ("BR", "America/Sao_Paulo"),
    ("ES", "Europe/Madrid"),
    ("PL", "Europe/Warsaw"),
    ("JP", "Asia/Tokyo"),
    ("VN", "Asia/Ho_Chi_Minh"),
]
CITY_COLUMNS = [
    "slug",
    "name",
    "country",
    "subdivision",
    "population",
    "latitude",
    "longitude",
    "time_zone",
    "geonames_id",
    "alternate_names",
]
MEMBER_COLUMNS = ["city", "network", "role", "status", "joined_on"]


def write_files(folder: Path, cities: int, memberships: int, seed: int) -> tuple[Path, Path]:
    rng = random.Random(seed)
    city_file, member_file = folder / "cities.csv", folder / "memberships.csv"
    with city_file.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CITY_COLUMNS)
        for n in range(cities):
            country, zone = COUNTRIES[n % len(COUNTRIES)]
            name = f"{rng.choice(NAMES)} {n // len(NAMES)}"  # clashes across countries
            writer.writerow(
                [
                    f"bench-{n}",
                    name,
                    country,
                    "Región",
                    rng.randint(1, 9_000_000),
                    f"{rng.uniform(-60, 60):.5f}",
                    f"{rng.uniform(-170, 170):.5f}",
                    zone,
                    10_000_000 + n,
                    f"{name} Vieja" if n % 7 == 0 else "",
                ]
            )
    with member_file.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(MEMBER_COLUMNS)
        for n in range(memberships):
            writer.writerow(
                [
                    f"bench-{n % cities}",
                    f"bench-net-{n % NETWORKS}",
                    rng.choice(["member", "member", "founding", "pioneer"]),
                    rng.choice(["active"] * 8 + ["pending", "lapsed"]),
                    f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                ]
            )
    return city_file, member_file


def child(argv) -> int:
    """In a child process: set up as a worker, run one task."""
    production_environment()
    from alliance.celery import app

    app.loader.import_default_modules()  # what `celery worker` does before consuming
    from networks import tasks

    task = {"preview": tasks.import_preview, "execute": tasks.import_execute, "noop": None}[argv[0]]
    if task is not None:
        task(int(argv[1]))
    return 0


def in_child(step: str, job_id: int = 0) -> tuple[float, float]:
    """(seconds, peak resident MB) of one task in a child process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", step, str(job_id)])  # noqa: S603
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise AssertionError(f"{step} exited with {status}")
    return seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def copy_baseline(path: Path, columns: list[str], types: str) -> float:
    """Seconds for a plain COPY of the file into a fresh table of its columns."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_copy ({types})")
        started = time.perf_counter()
        with (
            path.open("rb") as data,
            cursor.copy(
                f"COPY bench_copy ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while chunk := data.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=200_000)
    parser.add_argument("--memberships", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--flush", action="store_true", help="Empty the database first.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    media = tempfile.TemporaryDirectory(prefix="alliance-bench-import-")
    os.environ["DJANGO_MEDIA_ROOT"] = media.name  # the children read the files there
    production_environment()
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" or not args.flush:
        print(
            "bench/import.py needs PostgreSQL and --flush (it empties the database).",
            file=sys.stderr,
        )
        return 2
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from alliance.models import User
    from networks.models import ImportJob, Membership, Network

    user = User.objects.create(
        email="bench-import@example.invalid", is_staff=True, is_superuser=True
    )
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())  # a secretariat with its second factor
    for n in range(NETWORKS):
        Network.objects.create(name=f"Bench network {n}", slug=f"bench-net-{n}", kind="global")
    city_file, member_file = write_files(Path(media.name), args.cities, args.memberships, args.seed)
    baseline_mb = in_child("noop")[1]
    print(
        f"PostgreSQL, {args.cities:,} cities and {args.memberships:,} memberships; "
        f"a worker process at rest: {baseline_mb:.0f} MB."
    )
    results, checks = [], []
    for kind, path, rows, columns, types in (
        (
            "cities",
            city_file,
            args.cities,
            CITY_COLUMNS,
            "slug varchar(220), name varchar(200), country varchar(2), subdivision varchar(200), "
            "population integer, latitude numeric(8,5), longitude numeric(8,5), "
            "time_zone varchar(64), geonames_id integer, alternate_names text",
        ),
        (
            "memberships",
            member_file,
            args.memberships,
            MEMBER_COLUMNS,
            "city varchar(220), network varchar(50), role varchar(10), status varchar(10), "
            "joined_on date",
        ),
    ):
        copy_s = copy_baseline(path, columns, types)
        job = ImportJob(kind=kind, created_by=user, file_name=path.name)
        with path.open("rb") as data:
            job.file.save(path.name, File(data))
        _wall, preview_mb = in_child("preview", job.pk)
        job.refresh_from_db()
        preview_s = (job.finished_at - job.started_at).total_seconds()  # the task's own time
        if job.state != "ready" or job.refused or job.new != rows:
            print(
                f"FAILED: the {kind} preview: {job.state} {job.error} {job.samples.get('refused')}"
            )
            return 2
        ImportJob.objects.filter(pk=job.pk).update(state="importing")  # confirmed (run.confirm)
        _wall, import_mb = in_child("execute", job.pk)
        job.refresh_from_db()
        import_s = (job.finished_at - job.started_at).total_seconds()
        if job.state != "done" or job.written != rows:
            print(f"FAILED: the {kind} import ended {job.state}: {job.error}")
            return 2
        results += [
            (f"{kind}: COPY (baseline)", copy_s, rows / copy_s, None),
            (f"{kind}: preview", preview_s, rows / preview_s, preview_mb),
            (f"{kind}: import", import_s, rows / import_s, import_mb),
        ]
        checks += [
            (
                f"{kind} import ≥ {MIN_ROWS_PER_SECOND:,} rows/s",
                f"{rows / import_s:,.0f}",
                rows / import_s >= MIN_ROWS_PER_SECOND,
            ),
            (
                f"{kind} worker ≤ {MAX_WORKER_MB} MB (import)",
                f"{import_mb:.0f} MB",
                import_mb <= MAX_WORKER_MB,
            ),
            (
                f"{kind} worker ≤ {MAX_WORKER_MB} MB (preview)",
                f"{preview_mb:.0f} MB",
                preview_mb <= MAX_WORKER_MB,
            ),
        ]
    print(f"\n{'pass':<28} {'seconds':>8} {'rows/s':>9} {'peak MB':>8}")
    for label, seconds, rate, peak in results:
        print(
            f"{label:<28} {seconds:>8.1f} {rate:>9,.0f} {'' if peak is None else f'{peak:.0f}':>8}"
        )
    members = Membership.objects.filter(status="active").values("city").distinct().count()
    from cities.models import City

    listed = City.objects.filter(is_member=True).count()
    print(f"\nDirectory: {listed:,} cities listed, {members:,} with an active membership.")
    print("\nTargets:")
    for label, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {value}")
    media.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
