"""A reminder rule: the ledger is re-planned for what the rule governs.

Whatever saves or deletes a ReminderRule (the network page's inline, the meeting
page's inline, the demo data, network_ensure_default_rules), in the same transaction:
a network's rule re-plans the network's upcoming meetings, a meeting's own rule that
meeting (networks.facts.ledger). A rule switched off or removed cancels its pending
reminders; a new rule adds those not yet due, never a backlog.
"""

from networks.facts import ledger


def _rule_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.meeting_id is not None:
        ledger.follow(meetings={instance.meeting_id})
    else:
        ledger.follow(networks={instance.network_id})
