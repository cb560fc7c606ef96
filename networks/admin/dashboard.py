"""The figures on the admin's index page, for the networks the user may see.

A fixed number of queries whatever the size of the data, and none that reads every
membership on each visit: members and links per network come from the kept
alliance-wide figures (networks/figures.py), the chart is counted once per version of
the data, the failed reminders are counted up to a cap, and the reminders are counted
for the ten meetings shown only.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alliance import data_version
from networks.admin.adoption import adoption_per_network
from networks.directory import figures
from networks.models import Application, Meeting, Membership, Network, Reminder

MONTHS = 12
UPCOMING = 10
FAILED_COUNT_LIMIT = 10_000  # "10000+" beyond: the changelist has the exact list
CHART_CACHE_SECONDS = 60 * 60
# The plot is CHART_WIDTH x CHART_HEIGHT SVG units; the value axis and its labels take
# AXIS_WIDTH on the left, the month labels the space below.
CHART_WIDTH, CHART_HEIGHT, BAR_GAP, AXIS_WIDTH = 600, 160, 6, 36
MAX_TICKS = 4


@dataclass
class Tick:
    value: int
    y: int


def axis_ticks(top: int) -> list[int]:
    """Round values for the count axis, from 0 to at least `top`, at most MAX_TICKS steps.

    Steps are 1, 2 or 5 times a power of ten (e.g. top 7 -> [0, 2, 4, 6, 8]).
    """
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-max(top, 1) // step) <= MAX_TICKS:
                return [step * i for i in range(-(-max(top, 1) // step) + 1)]
        magnitude *= 10


@dataclass
class Bar:
    month: datetime.date
    count: int
    x: int
    y: int
    width: int
    height: int


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def new_members_chart(networks, today=None) -> list[Bar]:
    """Memberships of `networks` (networks or their ids) that began in each of the last
    twelve months, as SVG bars."""
    today = today or timezone.localdate()
    months = _month_starts(today, MONTHS)
    counts = dict(
        Membership.objects.filter(network__in=networks, joined_on__gte=months[0])
        .annotate(month=TruncMonth("joined_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(m.date() if isinstance(m, datetime.datetime) else m): n for m, n in counts.items()}
    # Scaled to the top of the value axis, so each bar reads against its ticks.
    top = axis_ticks(max(counts.values(), default=0))[-1]
    width = (CHART_WIDTH - AXIS_WIDTH) // MONTHS
    bars = []
    for index, month in enumerate(months):
        count = counts.get(month, 0)
        height = round(CHART_HEIGHT * count / top)
        x = AXIS_WIDTH + index * width
        bars.append(Bar(month, count, x, CHART_HEIGHT - height, width - BAR_GAP, height))
    return bars


def chart_ticks(bars: list[Bar]) -> list[Tick]:
    """The value axis of `bars`: each round value and its height in the SVG."""
    values = axis_ticks(max((bar.count for bar in bars), default=0))
    return [
        Tick(value, CHART_HEIGHT - round(CHART_HEIGHT * value / values[-1])) for value in values
    ]


def members_per_network(networks: list[Network]) -> list[dict]:
    """[{"name", "member_count", "link_count"}] of the active networks in `networks`."""
    kept = figures.alliance()
    return [
        {
            "name": network.name,
            "member_count": kept["members_by_network"].get(network.pk, 0),
            "link_count": kept["links_by_network"].get(network.pk, 0),
        }
        for network in networks
        if network.is_active
    ]


def _cached_chart(ids: list[int], today) -> list[Bar]:
    # Some 30,000 memberships begin in a year at 200,000 cities: counted once per
    # version of the data and per set of networks.
    key = f"dashboard-chart:{data_version.current()}:{today}:{','.join(map(str, ids))}"
    chart = cache.get(key)
    if chart is None:
        chart = new_members_chart(ids, today=today)
        cache.set(key, chart, CHART_CACHE_SECONDS)
    return chart


def upcoming_meetings(network_ids: list[int], now) -> list:
    """The next UPCOMING meetings, each with its reminders counted by status
    (`reminders_pending`, `_sent`, `_failed`, `_missed`)."""
    meetings = list(
        Meeting.objects.upcoming(now)
        .filter(network__in=network_ids)
        .select_related("network")
        .order_by("starts_at", "id")[:UPCOMING]
    )
    counts = (
        Reminder.objects.filter(meeting__in=meetings)
        .order_by()
        .values_list("meeting", "status")
        .annotate(n=Count("id"))
    )
    by_meeting = {(meeting, status): n for meeting, status, n in counts} if meetings else {}
    for meeting in meetings:
        for status in ("pending", "sent", "failed", "missed"):
            setattr(meeting, f"reminders_{status}", by_meeting.get((meeting.pk, status), 0))
    return meetings


def dashboard(user) -> dict:
    # The user's networks once, by name; every figure below is filtered by their ids.
    networks = list(Network.objects.managed_by(user).only("id", "name", "is_active"))
    networks.sort(key=lambda network: str(network.name).casefold())
    ids = sorted(network.pk for network in networks)
    now = timezone.now()
    waiting = Application.objects.open().filter(network__in=ids)
    waiting_stats = waiting.aggregate(count=Count("id"), oldest=Min("submitted_at"))
    oldest = waiting_stats["oldest"]
    chart = _cached_chart(ids, timezone.localdate())
    failed = Reminder.objects.filter(meeting__network__in=ids, status__in=["failed", "missed"])
    failed_count = failed[: FAILED_COUNT_LIMIT + 1].count()
    per_network = members_per_network(networks)
    adoption_years, adoption = adoption_per_network(networks)
    return {
        "adoption_years": adoption_years,
        "adoption": adoption,
        "waiting_count": waiting_stats["count"],
        "oldest_waiting_days": (now - oldest).days if oldest else None,
        "networks": per_network,
        "pioneer_links": [row for row in per_network if row["link_count"]],
        "upcoming": upcoming_meetings(ids, now),
        "failed_reminders": min(failed_count, FAILED_COUNT_LIMIT),
        "failed_reminders_capped": failed_count > FAILED_COUNT_LIMIT,
        "chart": chart,
        "chart_total": sum(bar.count for bar in chart),
        "chart_ticks": chart_ticks(chart),
        "chart_axis_x": AXIS_WIDTH,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
    }
