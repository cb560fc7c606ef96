from networks.models.application import Application, ApplicationEvent
from networks.models.structure import (
    Membership,
    MembershipStatusChange,
    ModelPolicy,
    Network,
    PioneerLink,
)

__all__ = [
    "Application",
    "ApplicationEvent",
    "Membership",
    "MembershipStatusChange",
    "ModelPolicy",
    "Network",
    "PioneerLink",
]
