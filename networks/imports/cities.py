"""Cities from a spreadsheet, matched by slug: checked a batch at a time, written set-based.

A row names its city by `slug`; the other columns are optional (a file may update only
the population), but a new city needs a name and a country. A blank region is filled
from the country, a blank time zone is UTC, as City.clean() and the field's default do.
Written with simple-history's bulk_create_with_history / bulk_update_with_history (one
history row each), with the search name City.save() would compute (cities.models.search_text).
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from simple_history.utils import bulk_update_with_history

from alliance import data_version
from cities.models import City, search_text
from cities.regions import Region, region_for_country
from cities.resources import CITY_COLUMNS
from cities.validators import time_zones
from networks.imports import cells, copying
from networks.imports.checked import Checked, Row

COLUMNS = CITY_COLUMNS  # the same columns as the export, so an export imports back
REQUIRED = ("slug",)
_URL = URLValidator()
_COUNTRIES = {code.upper() for code, _name in countries}


def _country(cell):
    code = cells.text(cell).upper()
    if code not in _COUNTRIES:
        raise ValueError(_("“%(value)s” is not an ISO country code such as CO.") % {"value": code})
    return code


def _time_zone(cell):
    value = cells.text(cell) or "UTC"
    if value not in time_zones():
        raise ValueError(
            _("“%(value)s” is not an IANA time zone name such as America/Bogota.")
            % {"value": value[:64]}
        )
    return value


def _website(cell):
    value = cells.limited(cell, 500)
    if value:
        try:
            _URL(value)
        except ValidationError:
            raise ValueError(
                _("“%(value)s” is not a web address.") % {"value": value[:80]}
            ) from None
    return value


def _names(cell):
    names = (line.strip() for line in cells.text(cell).splitlines())
    value = "\n".join(name for name in names if name)
    return cells.limited(value, 2000)


READERS = {
    "name": lambda c: cells.limited(c, 200),
    "country": _country,
    "region": lambda c: cells.choice(c, Region) if cells.text(c) else "",
    "subdivision": lambda c: cells.limited(c, 200),
    "population": cells.integer,
    "latitude": lambda c: cells.decimal(c, -90, 90),
    "longitude": lambda c: cells.decimal(c, -180, 180),
    "time_zone": _time_zone,
    "website": _website,
    "geonames_id": cells.integer,
    "alternate_names": _names,
}


class Context:
    """What lasts from one batch to the next: the slugs and GeoNames ids already seen."""

    def __init__(self, job):
        self.job = job
        self.by = job.created_by
        self.seen: dict[str, int] = {}
        self.geonames: dict[int, str] = {}
        self.fields: list[str] | None = None  # the columns the file has, but slug


def check(batch: list[tuple[int, dict]], context: Context) -> Checked:
    """Sort `batch` ((row number, {column: cell})) into new, changed, unchanged and
    refused rows, with one query for the stored cities and one for GeoNames ids."""
    checked = Checked()
    parsed = []
    for number, row in batch:
        if context.fields is None:
            context.fields = [c for c in COLUMNS if c in row and c != "slug"]
        values = _parse(number, row, checked)
        if values is None:
            continue
        slug = values["slug"]
        if slug in context.seen:
            checked.refuse(number, "slug", _("also on row %(row)s.") % {"row": context.seen[slug]})
            continue
        context.seen[slug] = number
        parsed.append((number, values))
    stored = City.objects.in_bulk([v["slug"] for _n, v in parsed], field_name="slug")
    ids = {v["geonames_id"] for _n, v in parsed if v.get("geonames_id")}
    taken = dict(City.objects.filter(geonames_id__in=ids).values_list("geonames_id", "slug"))
    for number, values in parsed:
        gid = values.get("geonames_id")
        holder = context.geonames.get(gid) or taken.get(gid)
        if gid and holder not in (None, values["slug"]):
            checked.refuse(number, "geonames_id", _("already that of %(slug)s.") % {"slug": holder})
            continue
        if gid:
            context.geonames[gid] = values["slug"]
        _sort(number, values, stored.get(values["slug"]), checked)
    return checked


def _parse(number, row, checked) -> dict | None:
    values, ok = {}, True
    try:
        values["slug"] = cells.slug(row["slug"])
    except ValueError as error:
        checked.refuse(number, "slug", error)
        return None
    for column, cell in row.items():
        if column == "slug":
            continue
        try:
            values[column] = READERS[column](cell)
        except ValueError as error:
            checked.refuse(number, column, error)
            ok = False
    return values if ok else None


def _sort(number, values, city, checked) -> None:
    shown = {k: "" if v is None else str(v) for k, v in values.items()}
    if city is None:
        missing = [c for c in ("name", "country") if not values.get(c)]
        if missing:
            for column in missing:
                checked.refuse(number, column, _("a new city needs one."))
            return
        if not values.get("region"):
            values["region"] = region_for_country(values["country"]) or ""
        checked.new.append(Row(number, City(**values), shown))
        return
    if "region" in values and not values["region"] and "country" in values:
        values["region"] = region_for_country(values["country"]) or ""
    changes = {}
    for field, value in values.items():
        old = getattr(city, field)
        old = old.code if field == "country" else old
        if old != value:
            changes[field] = ["" if old is None else str(old), shown[field]]
            setattr(city, field, value)
    (checked.changed if changes else checked.unchanged).append(Row(number, city, shown, changes))


def write(checked: Checked, context: Context) -> int:
    """Write the batch's new and changed cities with their history rows; how many."""
    now = timezone.now()
    for row in [*checked.new, *checked.changed]:
        city = row.instance
        city.search_name = search_text(city.name, city.alternate_names)
        city.updated_at = now
        if city.pk is None:
            city.created_at = now
    copying.insert(City, [r.instance for r in checked.new], user=context.by)
    if checked.changed:
        bulk_update_with_history(
            [r.instance for r in checked.changed],
            City,
            [*(context.fields or ()), "search_name", "updated_at"],
            batch_size=500,
            default_user=context.by,
        )
    copying.release_files(City, [r.instance for r in [*checked.new, *checked.changed]])
    return len(checked.new) + len(checked.changed)


def finish(context: Context) -> None:
    """Once at the end of the import: the directory's cached pages start afresh."""
    data_version.changed()
