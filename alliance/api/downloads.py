"""The public directory as CSV and JSON files, rebuilt in the background.

Every change that starts a new version of the directory's data (a save or delete of a
city, membership, network, principle or pioneer link: networks/signals.py) also asks
for new files (alliance/api/signals.py); the worker builds them DEBOUNCE_SECONDS later,
once for a whole burst of changes (an import of 20,000 rows asks once). Beat rebuilds
files older than MAX_AGE, which also covers SQL run by hand. Requests only read the
files: a download never costs a query. The files are published under CC BY 4.0.
"""

import csv
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from alliance.api.listing import city_rows
from alliance.mail.outbox import broker_down, note_broker_down
from cities.models import City

logger = logging.getLogger(__name__)

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "G20 Global Smart Cities Alliance"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
DEBOUNCE_SECONDS = 60
MAX_AGE_SECONDS = 24 * 3600
QUEUED_KEY = "api-downloads-queued"
CHUNK = 2000
CSV_COLUMNS = [
    "slug",
    "name",
    "country",
    "region",
    "size",
    "population",
    "member_since",
    "networks",
    "url",
]


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "open-data"


def path(fmt: str) -> Path:
    """The file of format `fmt` ("csv" or "json")."""
    return folder() / f"alliance-directory.{fmt}"


def _member_rows():
    """Every listed city's row (English labels, absolute URLs), by name, a chunk at a time."""
    cities = City.objects.filter(is_member=True).only(
        "id", "name", "slug", "country", "region", "population", "member_since"
    )
    chunk = []
    for city in cities.order_by("name", "pk").iterator(chunk_size=CHUNK):
        chunk.append(city)
        if len(chunk) == CHUNK:
            yield from city_rows(chunk)
            chunk = []
    yield from city_rows(chunk)


def _absolute(row: dict) -> dict:
    return {
        **row,
        "url": settings.SITE_URL + row["url"],
        "api_url": settings.SITE_URL + row["api_url"],
    }


def downloads_build() -> int:
    """Write both files anew (each replaced atomically); returns the number of cities."""
    folder().mkdir(parents=True, exist_ok=True)
    generated = timezone.now().isoformat(timespec="seconds")
    count = 0
    with (
        translation.override("en"),
        _replacing(path("csv"), newline="") as csv_file,
        _replacing(path("json")) as json_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(CSV_COLUMNS)
        json_file.write(
            json.dumps(
                {
                    "licence": LICENCE,
                    "licence_url": LICENCE_URL,
                    "attribution": ATTRIBUTION,
                    "generated_at": generated,
                }
            )[:-1]
            + ',"cities":['
        )
        for row in _member_rows():
            row = _absolute(row)
            networks = "; ".join(f"{m['network']}:{m['role']}" for m in row["memberships"])
            writer.writerow(
                [
                    row["slug"],
                    row["name"],
                    row["country"],
                    row["region"] or "",
                    row["size"] or "",
                    "" if row["population"] is None else row["population"],
                    row["member_since"] or "",
                    networks,
                    row["url"],
                ]
            )
            json_file.write(("," if count else "") + json.dumps(row, ensure_ascii=False))
            count += 1
        json_file.write(f'],"count":{count}}}')
    logger.info("open-data downloads rebuilt: %d cities", count)
    return count


class _replacing:
    """A text file written beside `target` and moved over it only when complete."""

    def __init__(self, target: Path, **options):
        self.target, self.options = target, options

    def __enter__(self):
        handle, self.temporary = tempfile.mkstemp(dir=self.target.parent, suffix=".part")
        self.file = os.fdopen(handle, "w", encoding="utf-8", **self.options)
        return self.file

    def __exit__(self, kind, error, trace):
        self.file.close()
        if kind is None:
            os.chmod(self.temporary, 0o644)
            os.replace(self.temporary, self.target)
        else:
            os.unlink(self.temporary)
        return False


def downloads_stale() -> bool:
    """Whether a file is missing or older than MAX_AGE_SECONDS."""
    now = timezone.now().timestamp()
    for fmt in FORMATS:
        try:
            if now - path(fmt).stat().st_mtime > MAX_AGE_SECONDS:
                return True
        except FileNotFoundError:
            return True
    return False


def downloads_request() -> None:
    """Ask the worker for new files in DEBOUNCE_SECONDS, unless already asked (one
    build per burst of changes). Never fails the caller: with the broker down, beat's
    run rebuilds stale files later."""
    from alliance.api.tasks import build_downloads

    if broker_down() or not cache.add(QUEUED_KEY, 1, DEBOUNCE_SECONDS):
        return
    try:
        build_downloads.apply_async(countdown=DEBOUNCE_SECONDS, retry=False)
    except Exception:  # the broker is down: publishing fails fast (settings)
        note_broker_down()  # the request's other publishes wait no more
        logger.warning("could not queue the open-data downloads build", exc_info=True)
        cache.delete(QUEUED_KEY)
