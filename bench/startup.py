"""How the request benchmarks start: their common options, production settings, the
PostgreSQL check, collectstatic when there is no manifest, and fill_directory up to
the size they measure at (200,000 cities unless --fill says otherwise).

Used by bench/directory.py, admin.py, pages.py, map.py and api.py (imported as
`startup`); what they then measure with is bench/timing.py.
"""

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

from timing import Bench

ROOT = Path(__file__).resolve().parent.parent


def arguments(doc: str, *, runs: int, allow_sqlite: bool = True) -> argparse.ArgumentParser:
    """A parser with --runs (default `runs`), --fill, --seed and, if `allow_sqlite`,
    --allow-sqlite; its description is the first paragraph of the script's `doc`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=runs, help="Measured requests per case.")
    parser.add_argument(
        "--fill",
        type=int,
        default=200_000,
        help="Run fill_directory up to this many cities first (skipped when there are "
        "already that many; 0 never fills). Default 200,000.",
    )
    parser.add_argument("--seed", type=int, default=2020, help="fill_directory's seed.")
    if allow_sqlite:
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Measure even if the database is SQLite."
        )
    return parser


def parsed(parser: argparse.ArgumentParser, argv) -> argparse.Namespace:
    """`parser`'s arguments from `argv` (None: sys.argv); exits 2 when --runs < 1."""
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def production_environment() -> None:
    """Production settings unless the caller set them: DEBUG off, a throwaway key."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def collect_static_if_needed(settings) -> tempfile.TemporaryDirectory | None:
    """The manifest storage needs collectstatic; use a temporary STATIC_ROOT if missing."""
    if (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return None
    folder = tempfile.TemporaryDirectory(prefix="alliance-bench-static-")
    settings.STATIC_ROOT = folder.name  # before setup, so storages and WhiteNoise see it
    return folder


def start_django(
    script: str, runs: int, warm_up: int, *, allow_sqlite: bool | None = None
) -> Bench:
    """Production settings, django.setup(), then collectstatic into a temporary folder if
    there is no manifest. Returns the Bench of `runs` rounds after `warm_up` requests,
    which removes that folder once it has measured.

    Exits 2 (SystemExit, after saying why on stderr) when the database is not PostgreSQL
    and not `allow_sqlite` (None: `script` has no --allow-sqlite option to suggest).
    """
    production_environment()
    from django.conf import settings

    static_folder = collect_static_if_needed(settings)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" and not allow_sqlite:
        hint = ", or pass --allow-sqlite" if allow_sqlite is not None else ""
        print(
            f"{script} measures PostgreSQL, but the database is {connection.vendor} "
            f"(set DATABASE_URL=postgres://...{hint}).",
            file=sys.stderr,
        )
        raise SystemExit(2)
    if static_folder is not None:
        call_command("collectstatic", interactive=False, verbosity=0)
    return Bench(runs, warm_up, static_folder)


def fill(cities: int, seed: int, *, say_when_full: bool = False) -> None:
    """fill_directory up to `cities` cities (0: never) with `seed`, if there are fewer."""
    if not cities:
        return
    from django.core.management import call_command

    from cities.models import City

    have = City.objects.count()
    if have >= cities:
        if say_when_full:
            print(f"{have:,} cities already (--fill {cities:,}): not filling.")
    else:
        print(f"{have:,} cities: filling up to {cities:,} with fill_directory…")
        call_command("fill_directory", cities, seed=seed)


def largest_network():
    """The active network with the most active memberships (fill_directory's data)."""
    from django.db.models import Count, Q

    from networks.models import Network

    return (
        Network.objects.active()
        .annotate(n=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("-n")
        .first()
    )
