from networks.models.application import Application, ApplicationEvent
from networks.models.feeds import CalendarFeed
from networks.models.meetings import Meeting, Reminder, ReminderRule, Rsvp
from networks.models.structure import (
    DirectoryExport,
    Membership,
    MembershipStatusChange,
    ModelPolicy,
    Network,
    PioneerLink,
)

__all__ = [
    "Application",
    "ApplicationEvent",
    "CalendarFeed",
    "Meeting",
    "Reminder",
    "ReminderRule",
    "Rsvp",
    "DirectoryExport",
    "Membership",
    "MembershipStatusChange",
    "ModelPolicy",
    "Network",
    "PioneerLink",
]
