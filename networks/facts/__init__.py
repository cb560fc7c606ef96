"""One write path per domain fact: model hooks that run whoever writes.

The facts are a membership's status (memberships.py), an official joining or leaving a
city (officials.py), a meeting's start or status (meetings.py) and a reminder rule
(rules.py). Each changes through one mechanism: a pre_save hook reads the stored row,
a post_save/post_delete hook records what follows (the status-change row, the derived
fields, the reminder ledger, the members' emails) in the same transaction as the write.

Why hooks on the model and not one service per fact: admin inlines, django-import-export,
simple-history's revert and admin bulk deletes call Model.save()/delete() themselves, so
a service is reachable from them only by overriding each library's internals, and the
next writer forgets it (issue #16: the membership's admin page did). Why in the
transaction and not on commit: the status-change row, the ledger and the queued emails
then commit or roll back with the change, and a process that dies between the commit
and an on-commit callback loses nothing. The cost of syncing at every save is bounded
by `ledger.one_sync()`, which makes each meeting's sync once per batch (admin POSTs,
imports, the demo data, set-based writers).

Services (networks.services, networks.meetings.services) still check who may do what
and whether a change is allowed; they then save, and the hooks do the rest. SQL run by
hand and set-based writes (bulk_create, bulk_update, QuerySet.update) send no signals:
they call memberships.memberships_status_written() once per batch.
"""

from django.db.models.signals import post_delete, post_save, pre_save


def connect() -> None:
    from cities.models import CityOfficial
    from networks.facts import meetings, memberships, officials, rules
    from networks.models import Meeting, Membership, ReminderRule

    for model, module in ((Membership, memberships), (CityOfficial, officials)):
        uid = f"fact-{model.__name__}"
        pre_save.connect(module._before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(module._saved, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(module._deleted, sender=model, dispatch_uid=f"{uid}-del")
    pre_save.connect(meetings._before_save, sender=Meeting, dispatch_uid="fact-Meeting-pre")
    post_save.connect(meetings._saved, sender=Meeting, dispatch_uid="fact-Meeting-post")
    post_save.connect(rules._rule_changed, sender=ReminderRule, dispatch_uid="fact-rule")
    post_delete.connect(rules._rule_changed, sender=ReminderRule, dispatch_uid="fact-rule-del")
