"""Writes about meetings: schedule, reschedule, cancel, answer."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.emails import queue_message, render_email
from alliance.language import email_language
from networks import access
from networks.meetings.reminders import recipients, reminders_sync
from networks.models import Meeting, Nomination, Rsvp


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
    # The same words for every member who reads a language: render once per language,
    # queue one message per address.
    # Invited nominees (issue #17) are told too, with a footer of their own.
    network = meeting.network
    rendered_in = {}
    officials = [(*row, False) for row in recipients(meeting).values_list("email", "language")]
    nominees = Nomination.objects.filter(call__meeting=meeting).invited()
    nominees = [(*row, True) for row in nominees]
    for email, saved, is_nominee in officials + nominees:
        language = email_language(None, saved, network.default_language)
        if (language, is_nominee) not in rendered_in:
            rendered_in[(language, is_nominee)] = render_email(
                template,
                {"meeting": meeting, "network": network, "is_nominee": is_nominee, **context},
                language=language,
            )
        rendered = rendered_in[(language, is_nominee)]
        queue_message(
            template=template,
            to=email,
            subject=rendered["subject"],
            text=rendered["body_text"],
            html=rendered["body_html"],
        )


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
