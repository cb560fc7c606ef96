"""History pages for the admin: who changed what and when, with a revert for editors.

A revert (simple-history's version page, posted) saves the old version through the
ModelAdmin's own save_form/save_model, so it is a normal change of the fields the
form shows, in one transaction. What follows a change of a membership's status or a
meeting's start (status-change row, calendar SEQUENCE, ledger, emails) follows it as
it follows every other write: the models' hooks (networks.facts) see the save; the
status-change row's note says it was restored from the history (alliance.acting).
What a model changes only through its own actions (an application's decision) is
never copied from the old version (`revert_keeps`). A revert that cannot be made
(bring back a cancelled meeting, undo an application's decision, re-create a deleted
membership) is refused with the reason from `revert_refusal`, shown on the version
page instead of the Revert button.

History, versions and revert answer only for objects the changelist shows the user:
simple-history falls back to the history table for an object get_queryset() does not
return (to show deleted objects), which would open any object's history to a network
host; for those who see every network that fallback stays.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from alliance.acting import acting
from alliance.roles import sees_all_networks

REVERTING = "_history_revert_of"


class HistoryAdmin(SimpleHistoryAdmin):
    # Fields (names) a revert keeps from the current row: a lifecycle's, changed only
    # by services. Empty for plain content, which reverts as it was.
    revert_keeps: tuple[str, ...] = ()
    # A model whose writes have consequences (networks.facts): a revert is a change like
    # any other, but a deleted row is not re-created from an old version.
    has_lifecycle = False

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def revert_refusal(self, request, current, version) -> str | None:
        """Why `current` (None: deleted since) cannot go back to `version`, or None.

        `version` is the old version as an instance of the model. By default a model
        with a lifecycle is not re-created from an old version: it was deleted as a
        whole, and re-creating it would skip its services.
        """
        if current is None and (self.revert_keeps or self.has_lifecycle):
            return self.refusal_deleted()

    def refusal_deleted(self) -> str:
        return _(
            "This %(model)s was deleted. Add it again instead of restoring an old version, "
            "so that everything that follows from it happens."
        ) % {"model": self.model._meta.verbose_name}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_scope(request, object_id)
        # simple-history would save a revert posted by a user who may only view.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        version = self.model.history.filter(
            **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
        ).first()
        if version is not None:
            current = self.get_queryset(request).filter(pk=version.instance.pk).first()
            refusal = self.revert_refusal(request, current, version.instance)
            if refusal:
                if request.method == "POST":
                    messages.error(request, refusal)
                    opts = self.model._meta
                    return redirect(f"admin:{opts.app_label}_{opts.model_name}_history", object_id)
                messages.warning(request, refusal)
                extra_context = {**(extra_context or {}), "revert_disabled": True}
            setattr(request, REVERTING, current)
        # One transaction for the revert and what follows it; its status-change rows
        # (networks.facts) say where the change came from.
        with transaction.atomic(), acting(note=_("Restored from the history")):
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

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        current = getattr(request, REVERTING, None)
        if current is not None:
            for name in self.revert_keeps:
                attname = self.model._meta.get_field(name).attname
                setattr(obj, attname, getattr(current, attname))
        return obj
