"""The meeting-reminder ledger: keep it right, hand due rows to workers, send them."""

import dataclasses
import datetime
import itertools
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from alliance.language import email_language
from alliance.mail import compose, delivery
from alliance.mail.compose import ProcessRenderings, Renderings
from networks.meetings.calendar import meeting_ics
from networks.meetings.models import DEFAULT_RULES
from networks.models import Meeting, Network, Nomination, Reminder, ReminderRule
from networks.models.structure import member_cities

logger = logging.getLogger(__name__)

LATE_WINDOW = datetime.timedelta(seconds=settings.REMINDER_LATE_WINDOW_SECONDS)
DISPATCH_LIMIT = 20_000  # per beat tick (a minute)
# Rows a worker claims and sends per task, over one SMTP connection. Each task renders
# every distinct language and time zone among its rows once (a few milliseconds each).
# Small enough that a burst is spread over every thread of every worker (6,000 due rows
# are 120 tasks: no thread waits idle while another works through a long batch, so two
# workers send twice as fast as one, bench/reminders.py), large enough that the claim,
# the connection and the renderings are shared by many messages. A batch's lease is
# renewed while it sends (alliance.mail.delivery.LEASE), so a live batch is never taken
# over and a dead worker's rows wait about a minute.
BATCH = 50
# The sizes of successive batches, BATCH on average. A burst (a meeting's rows fall due
# at one moment) starts every thread of every worker at once; with equal batches they
# all finish one, and claim the next, in step, so their claims (queries, model
# instances) wait on each other, one GIL per worker, while no message is sent: in
# bench/reminders.py the sink's arrivals fell by a third to four fifths for a quarter
# to half a second, about every 2 s. Staggered sizes spread those moments out.
BATCH_SIZES = (25, 62, 38, 75, 50)
# Reminders read the same in every batch of a meeting: a worker renders each language
# and zone once, not once per batch (the keys hold the meeting's fingerprint).
KEPT_RENDERINGS = ProcessRenderings()


def network_ensure_default_rules(network: Network) -> None:
    for minutes in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(network=network, minutes_before=minutes)


def effective_rules(meeting: Meeting) -> list[ReminderRule]:
    """The meeting's own rules when it has any, else its network's."""
    own = list(meeting.reminder_rules.filter(is_active=True))
    return own or list(meeting.network.reminder_rules.filter(is_active=True))


def recipients(meeting: Meeting):
    """Every official of every active member city of the meeting's network."""
    cities = member_cities(conditions=Q(network=meeting.network))
    return get_user_model().objects.filter(is_active=True, official__city__in=cities)


@transaction.atomic
def reminders_sync(*, meeting: Meeting, now: datetime.datetime | None = None) -> None:
    """Make the ledger match who should be reminded, when, for the meeting's current start.

    Two separate questions (issue #14):
    - Does a row still apply? Only the meeting's current start, a recipient still
      entitled and a rule still in force; pending rows that fail one of these are
      cancelled. Whether a row is already due plays no part: a due row waiting for a
      beat tick, for the broker or for its retry after a temporary SMTP error stays
      pending, whatever change triggered the sync.
    - Which missing rows are created? Only those not yet due (and a cancelled row is
      revived only if not yet due): a new rule or a late member does not mail a backlog.
    Rows being sent, sent, failed or missed are never touched.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    applies: set[tuple[tuple[str, int], int]] = set()
    rules = {}
    if meeting.status == Meeting.Status.SCHEDULED:
        # Also once the meeting has started: its rows still apply; due_batches marks
        # those left pending missed, whatever triggers a sync.
        rules = {rule.pk: rule for rule in effective_rules(meeting)}
        applies = {(who, rule) for who in _people(meeting) for rule in rules}
    not_yet_due = {
        (who, rule) for who, rule in applies if meeting.starts_at - rules[rule].offset >= now
    }

    current = meeting.reminders.filter(meeting_starts_at=meeting.starts_at)
    pending = meeting.reminders.filter(status=Reminder.Status.PENDING)
    stale = pending.exclude(meeting_starts_at=meeting.starts_at).values_list("pk", flat=True)
    unwanted = [
        pk
        for pk, user, nominee, rule in current.filter(status=Reminder.Status.PENDING).values_list(
            "pk", "recipient_id", "nomination_id", "rule_id"
        )
        if (_who(user, nominee), rule) not in applies
    ]
    Reminder.objects.filter(pk__in=[*stale, *unwanted]).update(
        status=Reminder.Status.CANCELLED, cancelled_at=now
    )

    existing = {
        (_who(user, nominee), rule): (pk, status)
        for pk, user, nominee, rule, status in current.values_list(
            "pk", "recipient_id", "nomination_id", "rule_id", "status"
        )
    }
    revived = [
        pk
        for key, (pk, status) in existing.items()
        if key in not_yet_due and status == Reminder.Status.CANCELLED
    ]
    Reminder.objects.filter(pk__in=revived).update(
        status=Reminder.Status.PENDING, cancelled_at=None
    )
    Reminder.objects.bulk_create(
        [
            Reminder(
                meeting=meeting,
                recipient_id=who[1] if who[0] == OFFICIAL else None,
                nomination_id=who[1] if who[0] == NOMINEE else None,
                rule_id=rule,
                meeting_starts_at=meeting.starts_at,
                due_at=meeting.starts_at - rules[rule].offset,
                next_attempt_at=meeting.starts_at - rules[rule].offset,
            )
            for who, rule in not_yet_due - existing.keys()
        ],
        batch_size=1000,
    )


# A ledger row's recipient: an official's account or an invited nominee (issue #17).
OFFICIAL, NOMINEE = "official", "nominee"


def _who(user_id: int | None, nomination_id: int | None) -> tuple[str, int]:
    return (OFFICIAL, user_id) if user_id is not None else (NOMINEE, nomination_id)


def _people(meeting: Meeting) -> list[tuple[str, int]]:
    """Whom the meeting's reminders are for: its network's officials (`recipients`) and
    the nominees invited to it who have not declined since."""
    users = recipients(meeting).values_list("pk", flat=True)
    nominees = Nomination.objects.filter(
        call__meeting=meeting, status=Nomination.Status.INVITED
    ).values_list("pk", flat=True)
    return [(OFFICIAL, pk) for pk in users] + [(NOMINEE, pk) for pk in nominees]


def reminders_sync_network(*, network: Network) -> None:
    """After members, officials or rules of a network changed."""
    for meeting in network.meetings.upcoming():
        reminders_sync(meeting=meeting)


def reminders_sync_city(*, city) -> None:
    for meeting in Meeting.objects.upcoming().filter(network__memberships__city=city).distinct():
        reminders_sync(meeting=meeting)


def due_batches(now: datetime.datetime | None = None) -> list[list[int]]:
    """Mark the hopelessly late as missed, release dead workers' claims, batch the due."""
    now = now or timezone.now()
    delivery.release_stale(Reminder)
    # Too late to be of use: more than LATE_WINDOW after it fell due, or the meeting has
    # begun. A row waiting for its retry is no exception: the same clock applies.
    Reminder.objects.filter(
        Q(due_at__lt=now - LATE_WINDOW) | Q(meeting_starts_at__lte=now),
        status=Reminder.Status.PENDING,
    ).update(status=Reminder.Status.MISSED)
    ids = list(
        Reminder.objects.due(now)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[:DISPATCH_LIMIT]
    )
    return staggered(ids)


def staggered(ids: list[int]) -> list[list[int]]:
    """`ids` cut, in order, into consecutive batches of the sizes of BATCH_SIZES in turn."""
    batches, sizes, start = [], itertools.cycle(BATCH_SIZES), 0
    while start < len(ids):
        end = start + next(sizes)
        batches.append(ids[start:end])
        start = end
    return batches


# What a reminder's email reads of its row's recipient (reminder_message): the rest of
# these rows (a city's profile, a user's password) is not loaded. A claim of 50 rows
# spent about an eighth of a worker's time making model instances (bench/reminders.py).
CLAIMED_FIELDS = (
    *(field.name for field in Reminder._meta.concrete_fields),
    *(
        f"recipient__{name}"
        for name in ("email", "first_name", "last_name", "language", "official__city__name")
    ),
    "recipient__official__city__time_zone",
    *(f"nomination__{name}" for name in ("nominee_name", "nominee_email", "language", "time_zone")),
)


def send_reminders(ids: list[int], now: datetime.datetime | None = None) -> dict[str, int]:
    """Claim these rows (each at most once across workers) and send them."""
    now = now or timezone.now()
    rows = delivery.claim(
        Reminder.objects.filter(pk__in=ids)
        .select_related("recipient__official__city", "nomination")
        .only(*CLAIMED_FIELDS)
        # Shared by the whole batch: one instance each, not one copy per row.
        .prefetch_related("meeting__network", "rule"),
        now,
    )
    late = {
        row.pk for row in rows if row.due_at < now - LATE_WINDOW or row.meeting_starts_at <= now
    }
    if late:
        Reminder.objects.filter(pk__in=late).update(status=Reminder.Status.MISSED)
    renderings = Renderings(KEPT_RENDERINGS)  # one per meeting, rule, language and zone
    return delivery.send(
        [row for row in rows if row.pk not in late],
        lambda reminder: reminder_message(reminder, renderings),
    )


# Stand-ins for what differs between recipients of the same rendering: characters of
# Unicode's private use area, which neither escaping nor translation touch.
NAME_SLOT = "\ue000name\ue000"
CITY_SLOT = "\ue000city\ue000"


def reminder_message(
    reminder: Reminder, renderings: Renderings | None = None, *, test: bool = False
) -> EmailMultiAlternatives:
    """The reminder email of a ledger row, in its recipient's language and city's zone.

    `renderings`: kept between the rows of a batch, so that recipients with the same
    meeting, rule, language and zone share one rendering (their name and city are put
    in its text afterwards) and one .ics. `test`: a sample sent to a staff member from
    the admin, which says so. The delivery loop adds the X-Alliance-Reminder-Id header.
    """
    renderings = Renderings() if renderings is None else renderings
    meeting, user, nominee = reminder.meeting, reminder.recipient, reminder.nomination
    official = getattr(user, "official", None)
    # An invited nominee has no account: their own name, address, language and zone.
    city_zone = official.city.time_zone if official else meeting.network.time_zone
    city_zone = nominee.time_zone if nominee else city_zone
    name = nominee.nominee_name if nominee else user.get_full_name()
    address = nominee.nominee_email if nominee else user.email
    city = official.city.name if official else ""
    language = email_language(user, nominee and nominee.language, meeting.network.default_language)
    version = renderings.once(
        ("fingerprint", meeting.pk, reminder.rule_id),
        lambda: compose.fingerprint(meeting, meeting.network, reminder.rule),
    )
    key = (meeting.pk, version, reminder.rule_id, language, city_zone)
    key += (bool(name), bool(city), test, bool(nominee))
    rendered = renderings.get(
        key,
        "meeting-reminder",
        {
            "meeting": meeting,
            "network": meeting.network,
            "recipient_name": NAME_SLOT if name else "",
            "recipient_city": CITY_SLOT if city else "",
            "rule": reminder.rule,
            "network_zone": meeting.network.time_zone,
            "city_zone": city_zone,
            "is_test": test,
            "is_nominee": bool(nominee),
        },
        language=language,
        time_zone=city_zone,
    )
    # The meeting's file reads the same for everyone: made once per version of it.
    ics = renderings.kept(("ics", meeting.pk, version), lambda: meeting_ics(meeting))
    own = dataclasses.replace(
        rendered,
        text=rendered.text.replace(NAME_SLOT, name).replace(CITY_SLOT, city),
        html=rendered.html.replace(NAME_SLOT, escape(name)).replace(CITY_SLOT, escape(city)),
    )
    return compose.message(
        to=address,
        rendered=own,
        attachments=[(compose.CALENDAR_NAME, ics, compose.CALENDAR_TYPE)],
    )


def resend_failed(*, meeting: Meeting) -> int:
    """Give failed rows of an upcoming meeting another go, due now (not "missed")."""
    return meeting.reminders.filter(
        status=Reminder.Status.FAILED, meeting_starts_at=meeting.starts_at
    ).update(
        status=Reminder.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        due_at=timezone.now(),
    )


def next_due(meeting: Meeting, limit: int = 10):
    return (
        meeting.reminders.filter(status=Reminder.Status.PENDING)
        .select_related("recipient", "rule")
        .order_by("due_at", "id")[:limit]
    )
