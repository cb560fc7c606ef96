from networks.involvement.models import PartnerEnquiry, Pledge
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
from networks.nominations.models import Nomination, NominationCall

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
    "PartnerEnquiry",
    "Pledge",
    "Nomination",
    "NominationCall",
]
