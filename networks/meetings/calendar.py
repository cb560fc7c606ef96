"""iCalendar for meetings: one stable UID per meeting, SEQUENCE grows on each change.

Every calendar file the portal writes (a meeting's `.ics`, a network's feed, the file
attached to reminders) is built here, with the VTIMEZONE of `networks.meetings.vtimezone`.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from networks.meetings.vtimezone import vtimezone
from networks.models import Meeting


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//G20 Global Smart Cities Alliance//Alliance portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _in_zone(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """`instant` as local time with a TZID, or in UTC when local time cannot say it.

    A local time that occurs twice means its first occurrence (RFC 5545, 3.3.5), so the
    second one (an end 30 minutes after the clocks went back, say) is written in UTC.
    """
    local = instant.astimezone(zone)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return instant.astimezone(datetime.UTC)
    return local


def _event(meeting: Meeting) -> Event:
    zone = zoneinfo.ZoneInfo(meeting.network.time_zone)
    event = Event()
    event.add("uid", f"{meeting.uid}@alliance-portal")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", _in_zone(meeting.starts_at, zone))
    event.add("dtend", _in_zone(meeting.ends_at, zone))
    event.add("summary", meeting.title)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    elif settings.SITE_URL:
        event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def _ics(name: str, zone_name: str, meetings: list[Meeting]) -> bytes:
    """The calendar's bytes: the zone's VTIMEZONE for the meetings' years, then the events.

    The VTIMEZONE comes first, as Outlook writes it. Without meetings the zone is still
    given: a feed with no events stays a calendar with one component, as RFC 5545 asks.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    this_year = timezone.now().astimezone(zone).year
    years = {
        moment.astimezone(zone).year
        for meeting in meetings
        for moment in (meeting.starts_at, meeting.ends_at)
    }
    # Up to this year at least: a past meeting's file then states today's rules too, and
    # a client that keeps the first VTIMEZONE it saw for a TZID (vobject does, for the
    # life of its process) stays right for the meetings to come.
    calendar = _calendar(name)
    calendar.add_component(
        vtimezone(zone_name, min(years, default=this_year), max(years | {this_year}))
    )
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    return _ics(meeting.title, meeting.network.time_zone, [meeting])


def network_ics(network, meetings) -> bytes:
    """The network's feed. Args: a Network; an iterable of its meetings (any number)."""
    return _ics(network.name, network.time_zone, list(meetings))
