# The core first: the wings' models point at it.
from networks.applications.models import Application, ApplicationEvent
from networks.directory.models import DirectoryExport
from networks.imports.models import ImportJob
from networks.involvement.models import PartnerEnquiry, Pledge
from networks.meetings.feed_model import CalendarFeed
from networks.meetings.models import Meeting, Reminder, ReminderRule, Rsvp
from networks.models.pioneers import ModelPolicy, PioneerLink
from networks.models.structure import Membership, MembershipStatusChange, Network
from networks.nominations.models import Nomination, NominationCall
from networks.policies.models import Policy, RoadmapEntry

__all__ = [
    "Application",
    "ApplicationEvent",
    "CalendarFeed",
    "Meeting",
    "Reminder",
    "ReminderRule",
    "Rsvp",
    "DirectoryExport",
    "ImportJob",
    "Membership",
    "MembershipStatusChange",
    "ModelPolicy",
    "Network",
    "PioneerLink",
    "PartnerEnquiry",
    "Pledge",
    "Nomination",
    "NominationCall",
    "Policy",
    "RoadmapEntry",
]
