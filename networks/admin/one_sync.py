"""Admin pages that write several rows in one POST sync the reminder ledger once.

A change form with inlines (a network's memberships and rules, a city's memberships and
officials, a meeting's rules), a bulk action, a delete or a history revert saves rows
one by one, and each save's hook (networks.facts) asks for a ledger sync. Within
networks.facts.ledger.one_sync() those are made once per meeting at the end of the
POST, in its transaction: the same outcome as syncing after every row, for less work.
"""

from networks.facts.ledger import one_sync


class OneLedgerSync:
    """ModelAdmin mixin: every POST view of the admin runs inside one_sync()."""

    def _once(self, request, view, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with one_sync():
            return view(request, *args, **kwargs)

    def changeform_view(self, request, *args, **kwargs):
        return self._once(request, super().changeform_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._once(request, super().changelist_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._once(request, super().delete_view, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        return self._once(request, super().history_form_view, *args, **kwargs)
