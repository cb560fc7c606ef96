"""The figures on the admin's index page, for the networks the user may see.

A fixed number of queries whatever the size of the data: every figure is one
aggregate query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from networks.models import Application, Meeting, Membership, Network, PioneerLink, Reminder

MONTHS = 12
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
    """Memberships that began in each of the last twelve months, as SVG bars."""
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


def members_per_network(networks) -> list[dict]:
    # Counted on the membership index alone; a join with COUNT(DISTINCT) took 65 ms
    # at 200,000 memberships.
    counts = dict(
        Membership.objects.filter(status="active", network__in=networks)
        .values_list("network")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"name": network.name, "member_count": counts.get(network.pk, 0)}
        for network in networks.active().order_by("name").only("id", "name")
    ]


def dashboard(user) -> dict:
    networks = Network.objects.managed_by(user)
    now = timezone.now()
    waiting = Application.objects.open().filter(network__in=networks)
    waiting_stats = waiting.aggregate(count=Count("id"), oldest=Min("submitted_at"))
    oldest = waiting_stats["oldest"]
    reminder_counts = {
        f"reminders_{status}": Count("reminders", filter=Q(reminders__status=status))
        for status in ("pending", "sent", "failed", "missed")
    }
    chart = new_members_chart(networks)
    return {
        "waiting_count": waiting_stats["count"],
        "oldest_waiting_days": (now - oldest).days if oldest else None,
        "networks": members_per_network(networks),
        "pioneer_links": PioneerLink.objects.current()
        .filter(network__in=networks)
        .values("network__name")
        .annotate(n=Count("id"))
        .order_by("network__name"),
        "upcoming": Meeting.objects.upcoming(now)
        .filter(network__in=networks)
        .select_related("network")
        .annotate(**reminder_counts)
        .order_by("starts_at")[:10],
        "failed_reminders": Reminder.objects.filter(
            meeting__network__in=networks, status__in=["failed", "missed"]
        ).count(),
        "chart": chart,
        "chart_total": sum(bar.count for bar in chart),
        "chart_ticks": chart_ticks(chart),
        "chart_axis_x": AXIS_WIDTH,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
    }
