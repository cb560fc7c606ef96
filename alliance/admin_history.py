"""History pages for the admin: who changed what and when, with a revert for editors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from alliance.roles import sees_all_networks


class HistoryAdmin(SimpleHistoryAdmin):
    """History, versions and revert answer only for objects the changelist shows the user.

    simple-history falls back to the history table for an object get_queryset() does
    not return (to show deleted objects), which would open any object's history to a
    network host; for those who see every network that fallback stays.
    """

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_scope(request, object_id)
        # simple-history would save a revert posted by a user who may only view.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_in_scope(self, request, object_id):
        if sees_all_networks(request.user):
            return
        try:
            found = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404
