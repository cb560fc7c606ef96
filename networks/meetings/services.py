"""Writes about meetings: schedule, reschedule, cancel, answer."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.language import email_language
from alliance.mail.compose import Renderings
from alliance.mail.outbox import queue_rendered
from networks import access
from networks.meetings.reminders import recipients, reminders_sync
from networks.models import Meeting, Rsvp


def _check_acting_user(by, meeting: Meeting) -> None:
    """PermissionDenied unless `by` (None: the system) manages the meeting's network, as
    stored and as now set."""
    if by is None:
        return
    stored = Meeting.objects.filter(pk=meeting.pk).values_list("network", flat=True).first()
    for network_id in {meeting.network_id, stored} - {None}:
        refused = access.network_error(by, network_id)
        if refused:
            raise PermissionDenied(refused)


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, by=None) -> Meeting:
    """Save a new meeting (built by a form) and put its reminders in the ledger.

    `by`: the acting user (None for the system); PermissionDenied outside their networks.
    """
    _check_acting_user(by, meeting)
    meeting.full_clean()
    meeting.save()
    reminders_sync(meeting=meeting)
    return meeting


def _tell_everyone(meeting: Meeting, template: str, **context) -> None:
    # The same words for every member who reads a language (the times are in the
    # network's zone): render once per language, queue one message per address.
    network = meeting.network
    renderings = Renderings()
    for email, saved in recipients(meeting).values_list("email", "language"):
        language = email_language(None, saved, network.default_language)
        rendered = renderings.get(
            language,
            template,
            {"meeting": meeting, "network": network, **context},
            language=language,
            time_zone=network.time_zone,
        )
        queue_rendered(template=template, to=email, rendered=rendered)


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, starts_at: datetime.datetime, by=None) -> Meeting:
    _check_acting_user(by, meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("A cancelled meeting cannot be rescheduled."))
    previous = meeting.starts_at
    if starts_at == previous:
        return meeting
    meeting.starts_at = starts_at
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    reminders_sync(meeting=meeting)
    _tell_everyone(meeting, "meeting-rescheduled", previous_start=previous)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by=None) -> Meeting:
    _check_acting_user(by, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save()
    reminders_sync(meeting=meeting)
    if meeting.starts_at > timezone.now():
        _tell_everyone(meeting, "meeting-cancelled")
    return meeting


def rsvp_answer(*, meeting: Meeting, official, answer: str) -> Rsvp:
    """`official` answers for their city; PermissionDenied unless the city is an active
    member of the meeting's network (whoever called)."""
    from django.db.models import Q

    from networks.models.structure import member_cities

    if (
        not member_cities(conditions=Q(network=meeting.network_id))
        .filter(pk=official.city_id)
        .exists()
    ):
        raise PermissionDenied(_("Only the officials of member cities answer for them."))
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=meeting,
        city=official.city,
        defaults={"answer": Rsvp.Answer(answer), "answered_by": official.user},
    )
    return rsvp
