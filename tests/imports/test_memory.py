"""A worker's memory stays bounded whatever the file's size (issue #19): the file is
streamed and checked a batch at a time; only the counts, the first rows of each kind,
the compressed refusals and the keys already seen (for duplicates) are kept."""

import gc
import tracemalloc

import pytest
from django.core.files.base import ContentFile

from alliance.roles import SECRETARIAT
from cities.models import City
from networks.imports import run
from networks.models import ImportJob

pytestmark = pytest.mark.django_db
ROWS = 50_000
LIMIT = 30 * 1024 * 1024  # bytes of Python allocations at their peak


def cities_file(rows: int) -> bytes:
    lines = ["slug,name,country,population,latitude,longitude,time_zone\n"]
    lines += [
        f"city-{n},Ciudad {n},CO,{n + 1},4.{n % 99999:05d},-74.1,America/Bogota\n"
        for n in range(rows)
    ]
    # Every 100th row refused, so the refusals are kept too.
    lines[1::100] = [f"bad-{n},Bad,XX,-1,,,Nowhere\n" for n in range(len(lines[1::100]))]
    return "".join(lines).encode()


def uploaded(content: bytes, staff) -> ImportJob:
    """A cities import of `content` (bytes of CSV), as the secretariat's upload stores it."""
    job = ImportJob(kind="cities", created_by=staff, file_name="upload.csv")
    job.file.save("upload.csv", ContentFile(content))
    return job


def test_a_50000_row_file_is_previewed_and_imported_in_bounded_memory(make_staff):
    content = cities_file(ROWS)
    job = uploaded(content, make_staff(SECRETARIAT))
    # Without the cyclic garbage collector, as in a worker that has run for a while,
    # where it seldom runs (its full runs wait on its many long-lived objects): memory
    # must be freed as each batch is done with, not when the collector gets to it.
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        run.preview(job.pk)
        _size, preview_peak = tracemalloc.get_traced_memory()
        job.refresh_from_db()
        assert (job.rows, job.refused, job.new) == (ROWS, 500, ROWS - 500)
        job.refresh_from_db()
        ImportJob.objects.filter(pk=job.pk).update(state="importing", valid_only=True)
        tracemalloc.reset_peak()
        run.execute(job.pk)
        _size, import_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    job.refresh_from_db()
    assert job.state == "done" and job.written == ROWS - 500
    assert City.objects.count() == ROWS - 500
    assert len(job.refusals_csv().splitlines()) == 1 + 3 * 500  # three bad cells a row
    assert len(bytes(job.refusals_z)) < 20_000  # compact: a few bytes a refusal
    # The file itself is several megabytes; a diff of it held whole would be far more.
    assert preview_peak < LIMIT, preview_peak
    assert import_peak < LIMIT, import_peak
    megabytes = [len(content) / 1e6, preview_peak / 1e6, import_peak / 1e6]
    print("file {:.1f} MB, peaks {:.1f} / {:.1f} MB".format(*megabytes))


def test_one_endless_line_is_refused_without_reading_it_whole(make_staff):
    # Found by an attack on #19: a 150 MB line of commas (under the upload cap) was read
    # whole and split into 75 million cells, about 1.2 GB in the worker.
    content = b"slug,name,country\n" + b"a," * 5_000_000  # 10 MB, no line end
    job = uploaded(content, make_staff(SECRETARIAT))
    tracemalloc.start()
    try:
        run.preview(job.pk)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert job.state == ImportJob.State.UNREADABLE
    assert "Line 2 of the file is longer than 1,000,000 characters" in job.error
    assert peak < 3 * len(content)  # the csv module alone would hold ~100 bytes a cell
