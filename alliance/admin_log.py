"""The admin's log (LogEntry: "Recent actions", each object's history) for bulk actions.

Django logs what its change form and delete action do; an action of our own that
changes objects must say so itself, or the secretariat's "Recent actions" and the
object's history stay silent about an approval made from the list.
"""

from django.contrib.admin.models import CHANGE, LogEntry


def log_bulk_change(request, objects, message: str) -> None:
    """Record one CHANGE entry per object in `objects` (model instances), by request.user.

    `message` is stored as written (translate it before passing it). One INSERT for
    all the objects.
    """
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=objects, action_flag=CHANGE, change_message=message
        )
