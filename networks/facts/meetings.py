"""A meeting's start or status: every change has the same consequences.

Whatever saves a Meeting (the services, the admin's change form, a bulk action, a
history revert, the demo data), the hooks below, in the same transaction:
- keep the iCalendar SEQUENCE (Meeting.sequence, derived: whatever the writer put there
  is replaced): one higher than stored when the start or the status changed, so
  calendars take the newest version (RFC 5545, 3.8.7.4);
- re-plan the meeting's reminders (networks.facts.ledger);
- tell every official of the member cities: "meeting-rescheduled" (with the previous
  start) when a scheduled meeting moved, "meeting-cancelled" when a coming meeting was
  cancelled. Each email carries the meeting's calendar file with the new SEQUENCE (and
  STATUS:CANCELLED when cancelled), so a calendar that imported the meeting updates
  it. They are queued (alliance.mail) in the same transaction.
Whether a change is allowed (a cancelled meeting is not rescheduled nor brought back)
is for the services and forms to say before they save.
"""

from django.utils import timezone

from alliance.language import email_language
from alliance.mail.compose import Renderings
from alliance.mail.outbox import queue_rendered
from networks.facts import ledger
from networks.meetings.calendar import meeting_ics
from networks.meetings.reminders import recipients
from networks.models import Meeting, Nomination

_BEFORE = "_stored_before_save"


def _before_save(sender, instance, raw=False, **kwargs):
    stored = None
    if not raw and instance.pk is not None:
        stored = (
            Meeting.objects.filter(pk=instance.pk)
            .values("starts_at", "status", "sequence", "network_id")
            .first()
        )
    setattr(instance, _BEFORE, stored)
    if stored is not None:
        moved = (stored["starts_at"], stored["status"]) != (instance.starts_at, instance.status)
        instance.sequence = stored["sequence"] + (1 if moved else 0)


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    stored = getattr(instance, _BEFORE, None)
    setattr(instance, _BEFORE, None)
    if created or stored is None:
        ledger.follow(meetings={instance.pk})
        return
    moved = stored["starts_at"] != instance.starts_at
    status_changed = stored["status"] != instance.status
    if moved or status_changed or stored["network_id"] != instance.network_id:
        ledger.follow(meetings={instance.pk})
    if instance.status == Meeting.Status.SCHEDULED and moved and not status_changed:
        tell_everyone(instance, "meeting-rescheduled", previous_start=stored["starts_at"])
    if (
        status_changed
        and instance.status == Meeting.Status.CANCELLED
        and instance.starts_at > timezone.now()
    ):
        tell_everyone(instance, "meeting-cancelled")


def tell_everyone(meeting: Meeting, template: str, **context) -> int:
    """Queue the email `template` to every official of the meeting's member cities.

    The same words for every member who reads a language: rendered once per language,
    one message per address. `context`: added to {"meeting", "network"}. Returns the
    number of messages queued.
    """
    network = meeting.network
    renderings = Renderings()
    calendar = meeting_ics(meeting)  # the same file for everyone: the meeting's zone
    officials = [(*row, False) for row in recipients(meeting).values_list("email", "language")]
    # Invited nominees (issue #17) are told too, with a footer of their own.
    nominees = Nomination.objects.filter(call__meeting=meeting).invited()
    count = 0
    for email, saved, is_nominee in officials + [(*row, True) for row in nominees]:
        language = email_language(None, saved, network.default_language)
        rendered = renderings.get(
            (language, is_nominee),
            template,
            {"meeting": meeting, "network": network, "is_nominee": is_nominee, **context},
            language=language,
            time_zone=network.time_zone,
        )
        queue_rendered(template=template, to=email, rendered=rendered, calendar=calendar)
        count += 1
    return count
