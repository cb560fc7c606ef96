"""VTIMEZONE components that every calendar client reads the same way.

A VTIMEZONE describes a zone's offsets for the clients that build the zone from the
file instead of from the TZID's name (Outlook; vobject and so the CalDAV servers built
on it). icalendar's `Timezone.from_tzid` lists each transition as an RDATE; vobject
keeps only the first value of a multi-valued RDATE, so from the second year on it
reads the wrong offset (issue #20). This module writes the shape the Outlook-compatible
definitions have: per observance, one DTSTART and a yearly RRULE (`BYMONTH` and
`BYDAY=-1SU` / `1SU`, or `BYMONTHDAY` for a rule on a fixed date), and only the
rules in force in the years asked for. Where a zone's rule changes inside those years
(America/Mexico_City dropped DST in 2022), the old rule ends with an UNTIL and the new
one begins; a transition that fits no yearly rule is an observance of its own, with a
single DTSTART and no RDATE.

The offsets come from the zoneinfo database Python uses (zoneinfo, then `tzdata`).
"""

import calendar
import dataclasses
import datetime
import functools
import zoneinfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

UTC = datetime.UTC
_STEP = datetime.timedelta(hours=6)  # no zone changes its offset twice within six hours
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_RULES_FROM = 1970  # the year the Outlook-compatible definitions start their rules in


@dataclasses.dataclass(frozen=True)
class _Transition:
    at: datetime.datetime  # the instant, in UTC
    offset_from: datetime.timedelta
    offset_to: datetime.timedelta
    name: str
    is_dst: bool

    @property
    def onset(self) -> datetime.datetime:
        """The local wall time of the change, read with the offset before it (RFC 5545)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def observance(self) -> tuple:
        return (self.offset_from, self.offset_to, self.name, self.is_dst)


def _rules_of(onset: datetime.datetime) -> set[tuple]:
    """The yearly rules an onset fits: the n-th or last weekday of its month, or its date."""
    last_day = calendar.monthrange(onset.year, onset.month)[1]
    weekday = _WEEKDAYS[onset.weekday()]
    rules = {("BYDAY", f"{(onset.day - 1) // 7 + 1}{weekday}")}
    if onset.day + 7 > last_day:
        rules.add(("BYDAY", f"-1{weekday}"))
    rules.add(("BYMONTHDAY", onset.day))
    return {(onset.month, onset.time(), *rule) for rule in rules}


def _occurrence(rule: tuple, year: int) -> datetime.datetime:
    """The local datetime a yearly rule (from `_rules_of`) gives in `year`."""
    month, time, part, value = rule
    if part == "BYMONTHDAY":
        day = value
    else:
        nth, weekday = int(value[:-2]), _WEEKDAYS.index(value[-2:])
        first_weekday, last_day = calendar.monthrange(year, month)
        first = 1 + (weekday - first_weekday) % 7
        day = first + 7 * (nth - 1) if nth > 0 else first + 7 * ((last_day - first) // 7)
    return datetime.datetime.combine(datetime.date(year, month, day), time)


def _transitions(zone: zoneinfo.ZoneInfo, start: datetime.datetime, end: datetime.datetime):
    """Every change of UTC offset in [start, end), both aware UTC datetimes, in order."""

    def local(instant):
        return instant.astimezone(zone)

    instant, before = start, local(start)
    while instant < end:
        following = min(instant + _STEP, end)
        after = local(following)
        if after.utcoffset() != before.utcoffset():
            low, high = instant, following  # the change lies in (low, high]
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if local(middle).utcoffset() == before.utcoffset():
                    low = middle
                else:
                    high = middle
            changed = local(high)
            yield _Transition(
                at=high.replace(microsecond=0),
                offset_from=before.utcoffset(),
                offset_to=changed.utcoffset(),
                name=changed.tzname() or "",
                is_dst=bool(changed.dst()),
            )
        instant, before = following, after


def _runs(transitions: list[_Transition]):
    """Split one observance's transitions into runs of consecutive years that one rule fits.

    Yields (transitions, rule or None); a run of one transition has no rule.
    """
    run: list[_Transition] = []
    rules: set[tuple] = set()
    for transition in transitions:
        fits = _rules_of(transition.onset)
        consecutive = run and transition.onset.year == run[-1].onset.year + 1
        if consecutive and rules & fits:
            run.append(transition)
            rules &= fits
            continue
        if run:
            yield run, _preferred(rules) if len(run) > 1 else None
        run, rules = [transition], fits
    if run:
        yield run, _preferred(rules) if len(run) > 1 else None


def _preferred(rules: set[tuple]) -> tuple:
    # A weekday rule reads as the law does ("last Sunday of October"); "last" before "n-th".
    return sorted(rules, key=lambda rule: (rule[2] != "BYDAY", not str(rule[3]).startswith("-")))[0]


def _observance(transition: _Transition, *, start=None):
    """A STANDARD or DAYLIGHT component from `transition`, starting at its onset or `start`."""
    component = TimezoneDaylight() if transition.is_dst else TimezoneStandard()
    component.add("tzname", transition.name)
    component.add("tzoffsetfrom", transition.offset_from)
    component.add("tzoffsetto", transition.offset_to)
    component.add("dtstart", start or transition.onset)
    return component


@functools.lru_cache(maxsize=256)
def vtimezone(zone_name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for `zone_name` that is right for local times in first_year..last_year.

    Args: an IANA zone name; the first and last calendar years (ints) the calendar's
    events fall in. The transitions of the year before and the year after are read too,
    so an event near New Year is right whatever its offset. As in the Outlook-compatible
    definitions, a rule in force at the start is written from 1970 on, and the rule in
    force at the end stays open (no UNTIL); the years outside the span are not promised.
    Returns an icalendar `Timezone`. Raises `zoneinfo.ZoneInfoNotFoundError` for an
    unknown zone. Cached: the same arguments give the same (shared, not to be changed)
    component.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    start = datetime.datetime(first_year - 1, 1, 1, tzinfo=UTC)
    end = datetime.datetime(last_year + 2, 1, 1, tzinfo=UTC)
    transitions = list(_transitions(zone, start, end))
    component = Timezone()
    component.add("tzid", zone_name)
    # libical-based clients (Evolution, Thunderbird's older versions) match this name to
    # their own definition.
    component.add("x-lic-location", zone_name)
    first_needed = datetime.datetime(first_year, 1, 1, tzinfo=UTC) - datetime.timedelta(hours=14)
    if not transitions or transitions[0].at > first_needed:
        # No change between the span's start and the first event: one observance gives the
        # offset in force then, from 1970 on (the Outlook-compatible shape of a zone
        # without DST).
        at_start = start.astimezone(zone)
        initial = _Transition(
            at=start,
            offset_from=at_start.utcoffset(),
            offset_to=at_start.utcoffset(),
            name=at_start.tzname() or "",
            is_dst=bool(at_start.dst()),
        )
        component.add_component(
            _observance(initial, start=datetime.datetime(_RULES_FROM, 1, 1))  # noqa: DTZ001
        )
    by_observance: dict[tuple, list[_Transition]] = {}
    for transition in transitions:
        by_observance.setdefault(transition.observance, []).append(transition)
    last_year_scanned = end.year - 1
    for group in by_observance.values():
        for run, rule in _runs(group):
            observance = _observance(run[0])
            if rule is not None and run[0].onset.year == start.year:
                # In force when the span begins: start the rule in 1970, as the
                # Outlook-compatible definitions do. Clients that check a zone over past
                # years (vobject takes one without changes in 2000-2020 for UTC) then see
                # the zone's changes; no event falls in those years.
                observance.pop("DTSTART")
                observance.add("dtstart", _occurrence(rule, _RULES_FROM))
            if rule is not None:
                month, _time, part, value = rule
                rrule = {"FREQ": "YEARLY", "BYMONTH": month, part: value}
                if run[-1].onset.year < last_year_scanned:
                    # Any instant between the last onset and the next year's ends the rule;
                    # a day after keeps it right for clients that read UNTIL as local time.
                    rrule["UNTIL"] = run[-1].at + datetime.timedelta(days=1)
                observance.add("rrule", rrule)
            component.add_component(observance)
    return component
