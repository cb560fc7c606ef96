"""Times a person types on a zone's wall clock: one that never happens, one that happens twice.

When the clocks go forward an hour of wall-clock time does not exist (02:30 on
2027-03-28 in Europe/Madrid); when they go back an hour happens twice. Python's
zoneinfo quietly moves the first to another time (Django's `make_aware` saved that
02:30 as 03:30) and picks one of the second. Every form field where a person types a
local time uses `LocalDateTimeField` and turns its value into an instant with
`aware_from_local`, which refuses a time that does not exist and takes the first
occurrence of a time that happens twice, as RFC 5545 (3.3.5) does for calendars. The
field's help text says so (`TWICE_HELP`).
"""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

UTC = datetime.UTC

# The years a typed time may fall in: outside them it is a typing mistake, and near
# datetime's limits (year 9999) turning it into an instant, adding a meeting's length
# or showing it in a city's zone overflowed into a 500.
YEARS = (1900, 2999)

TWICE_HELP = _(
    "A time that does not exist that day because the clocks go forward is refused. "
    "A time that occurs twice because the clocks go back means the first of the two, "
    "before the clocks go back."
)


def _gap(naive: datetime.datetime, zone: zoneinfo.ZoneInfo):
    """The wall-clock times the gap around `naive` (a time that does not exist) runs between.

    Returns (first missing time, first time after the gap), both naive. zoneinfo gives a
    missing time the offset from before the change with fold=0 and the one from after
    with fold=1, so the change lies between those two readings of it as instants.
    """
    before = naive.replace(tzinfo=zone, fold=0).utcoffset()
    after = naive.replace(tzinfo=zone, fold=1).utcoffset()
    readings = ((naive - before).replace(tzinfo=UTC), (naive - after).replace(tzinfo=UTC))
    low, high = min(readings), max(readings)  # low on the old offset, high on the new
    while high - low > datetime.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = high.replace(tzinfo=None, microsecond=0)
    return change + before, change + after


def aware_from_local(value: datetime.datetime, zone_name: str) -> datetime.datetime:
    """The instant a wall-clock time in `zone_name` stands for.

    Args: `value`, naive (a typed wall-clock time) or aware (already an instant, returned
    as it is); an IANA zone name. Returns an aware datetime in that zone. A time that
    occurs twice means its first occurrence (fold=0). Raises ValidationError (code
    "nonexistent_time") for a time that does not exist in that zone that day, naming the
    gap.
    """
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = value.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value.replace(fold=0):
        gap_start, gap_end = _gap(value.replace(fold=0), zone)

        def wall(moment: datetime.datetime) -> str:
            # An end of the gap on another day (Samoa skipped a whole day) says its date.
            return moment.strftime("%H:%M" if moment.date() == value.date() else "%Y-%m-%d %H:%M")

        raise ValidationError(
            _(
                "%(time)s does not exist in %(zone)s on %(date)s: the clocks go forward "
                "from %(gap_start)s to %(gap_end)s. Enter a time before %(gap_start)s "
                "or from %(gap_end)s on."
            ),
            code="nonexistent_time",
            params={
                "time": value.strftime("%H:%M"),
                "zone": zone_name,
                "date": value.date().isoformat(),
                "gap_start": wall(gap_start),
                "gap_end": wall(gap_end),
            },
        )
    return aware


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed on a zone's wall clock; cleans to a naive datetime.

    The zone is often another field's (a meeting's network), so the form's `clean()`
    turns the value into an instant with `aware_from_local`. Unlike Django's
    DateTimeField, the value is not read in the server's current time zone first.
    """

    def __init__(self, **kwargs):
        help_text = kwargs.pop("help_text", "")
        # Lazy: the field is built at import, the text is read in the request's language.
        kwargs["help_text"] = (
            format_lazy("{} {}", help_text, TWICE_HELP) if help_text else TWICE_HELP
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return datetime.datetime(value.year, value.month, value.day)  # noqa: DTZ001
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        # Not ISO 8601: the field's input_formats, as Django's own fields read them.
        parsed = parsed or forms.BaseTemporalField.to_python(self, value)
        if not YEARS[0] <= parsed.year <= YEARS[1]:
            raise ValidationError(
                _("Enter a date between the years %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": YEARS[0], "last": YEARS[1]},
            )
        return parsed
