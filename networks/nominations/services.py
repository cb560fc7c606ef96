"""Writes of nominations: a nomination, the nominee's decline, the hosts' decisions.

Every decision goes through `nominations_decide`, whichever admin action made it, and
every change that alters who is invited re-syncs the meeting's reminder ledger.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.involvement import mail
from networks.meetings import reminders
from networks.models import Network
from networks.nominations.models import Nomination, NominationCall

Status = Nomination.Status
# What a decision may follow: nobody is invited after declining, nor asked again.
DECISIONS = {
    Status.SHORTLISTED: {Status.NOMINATED},
    Status.INVITED: {Status.NOMINATED, Status.SHORTLISTED, Status.DECLINED},
    Status.DECLINED: {Status.NOMINATED, Status.SHORTLISTED},
}


@transaction.atomic
def nomination_submit(*, nomination: Nomination, now=None) -> Nomination:
    """Store a nomination for an open call and tell the nominee (with a decline link).

    Raises ValidationError when the call has closed or a field is invalid.
    """
    if not NominationCall.objects.open(now).filter(pk=nomination.call_id).exists():
        raise ValidationError(_("Nominations for this event are closed."))
    nomination.status = Status.NOMINATED
    nomination.full_clean()
    nomination.save()
    mail.nomination_received(nomination)
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination_id: int) -> Nomination | None:
    """The nominee declines (by the signed link): no invitation, no reminders.

    Declining twice changes nothing. Returns the nomination, or None if it is gone.
    """
    nomination = Nomination.objects.select_for_update().filter(pk=nomination_id).first()
    if nomination is None or nomination.status == Status.WITHDRAWN:
        return nomination
    nomination.status = Status.WITHDRAWN
    nomination.save(update_fields=["status"])
    reminders.reminders_sync(meeting=nomination.call.meeting)
    return nomination


def nominations_decide(*, nominations, status: str, by) -> int:
    """Shortlist, invite or decline (`status`) nominations of networks `by` looks after.

    Nominations in a state the decision cannot follow (a nominee who declined, say)
    are left as they are. The invited get the invitation and enter the reminder
    ledger; the declined get a kind note. Raises PermissionDenied when one belongs to
    a network outside `by`'s scope. Returns how many changed.
    """
    allowed = Network.objects.managed_by(by) if by is not None else Network.objects.all()
    ids = [n.pk for n in nominations]
    changed, meetings = 0, set()
    with transaction.atomic():
        rows = list(
            Nomination.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("call__meeting__network")
        )
        if any(not allowed.filter(pk=row.call.meeting.network_id).exists() for row in rows):
            raise PermissionDenied(_("This nomination is for another network’s event."))
        for row in rows:
            if row.status not in DECISIONS[status]:
                continue
            row.status, row.decided_at = status, timezone.now()
            row._history_user = by
            row.save(update_fields=["status", "decided_at"])
            changed += 1
            if status == Status.INVITED:
                mail.nomination_invited(row)
            elif status == Status.DECLINED:
                mail.nomination_not_selected(row)
            meetings.add(row.call.meeting)
        for meeting in meetings:
            reminders.reminders_sync(meeting=meeting)
    return changed
