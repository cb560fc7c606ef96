"""Writes about meetings: schedule, reschedule, cancel, answer."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks import access
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
    meeting.save()  # networks.facts.meetings puts its reminders in the ledger
    return meeting


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, starts_at: datetime.datetime, by=None) -> Meeting:
    """Move a scheduled meeting to `starts_at` (aware); ValidationError for a cancelled
    one, PermissionDenied outside `by`'s networks. The rest follows the save."""
    _check_acting_user(by, meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("A cancelled meeting cannot be rescheduled."))
    previous = meeting.starts_at
    if starts_at == previous:
        return meeting
    meeting.starts_at = starts_at
    meeting.full_clean()
    # networks.facts.meetings: a higher SEQUENCE, the ledger re-planned, members told.
    meeting.save()
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by=None) -> Meeting:
    """Cancel the meeting (again: nothing happens); PermissionDenied outside `by`'s
    networks. The rest follows the save."""
    _check_acting_user(by, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    # networks.facts.meetings: a higher SEQUENCE, reminders cancelled, members told.
    meeting.save()
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
