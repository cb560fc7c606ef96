"""One object per registered admin, made "of" a network: OBJECTS maps each model label
to its maker (tests/admin/matrix/test_permission_matrix.py checks that it names every
ModelAdmin).
"""

import datetime

from django.contrib.auth.models import Group

from alliance.api.models import ApiToken
from alliance.models import FaqEntry, LoginFailure, OutboundEmail, PartnerPerson
from networks.models import (
    DirectoryExport,
    ImportJob,
    Nomination,
    NominationCall,
    PartnerEnquiry,
    Pledge,
    Reminder,
)
from tests.api.conftest import make_token
from tests.factories import (
    ApplicationFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    PartnerFactory,
    PioneerLinkFactory,
    UserFactory,
)


def _official(network):
    official = CityOfficialFactory(phone="+1 555 0100")
    MembershipFactory(network=network, city=official.city)
    return official


def _reminder(network):
    meeting = MeetingFactory(network=network)
    rule = network.reminder_rules.first() or network.reminder_rules.create(minutes_before=60)
    return Reminder.objects.create(
        meeting=meeting,
        recipient=UserFactory(),
        rule=rule,
        meeting_starts_at=meeting.starts_at,
        due_at=meeting.starts_at - datetime.timedelta(hours=1),
    )


def _call(network):
    return NominationCall.objects.create(
        meeting=MeetingFactory(network=network),
        summary="Open",
        deadline=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )


def _policy(network):
    from django.core.files.base import ContentFile

    from networks.policies.models import Policy

    policy = Policy.objects.create(
        title="T",
        kind="law",
        adopter="A",
        country="JP",
        summary="S",
        adopted_on=datetime.date(2020, 1, 1),
        policy_language="ja",
        submitter_name="N",
        submitter_email="n@x.jp",
    )
    policy.pdf.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return policy


def _roadmap_entry(network):
    from networks.policies.models import RoadmapEntry

    # A member city made earlier (cities.city): a new membership now would re-plan the
    # network's reminders and cancel the one made for networks.reminder.
    city = network.memberships.active().earliest("pk").city
    return RoadmapEntry.objects.create(city=city, model_policy="open-data", status="planned")


def _import_job(network):
    """A membership import scoped to `network`, waiting for its confirmation."""
    job = ImportJob.objects.create(
        kind="memberships", created_by=UserFactory(), file="imports/x.csv", state="ready"
    )
    job.networks.add(network)
    return job


def _partner_person(network):
    return PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory())


# label -> how to make one object "of" a network (global objects ignore it).
OBJECTS = {
    "auth.group": lambda n: Group.objects.create(name=f"Group {n.pk}"),
    "account.emailaddress": lambda n: UserFactory().emailaddress_set.create(
        email=f"addr{n.pk}@example.org"
    ),
    "mfa.authenticator": lambda n: (
        __import__("tests.factories").factories.with_totp(UserFactory()).authenticator_set.get()
    ),
    "alliance.user": lambda n: UserFactory(),
    "alliance.partner": lambda n: PartnerFactory(),
    "alliance.faqentry": lambda n: FaqEntry.objects.create(question="Q?", answer="A."),
    "alliance.outboundemail": lambda n: OutboundEmail.objects.create(
        template="test", to="a@example.org", subject="Hello", body_text="Hi"
    ),
    "alliance.partnerperson": _partner_person,
    "alliance.loginfailure": lambda n: LoginFailure.objects.create(identifier="x@example.org"),
    "api.apitoken": lambda n: (
        make_token(UserFactory()) and ApiToken.objects.order_by("-pk").first()
    ),
    "cities.city": lambda n: MembershipFactory(network=n).city,
    "cities.cityofficial": _official,
    "networks.network": lambda n: n,
    "networks.membership": lambda n: MembershipFactory(network=n),
    "networks.pioneerlink": lambda n: PioneerLinkFactory(network=n),
    "networks.directoryexport": lambda n: DirectoryExport.objects.create(user=UserFactory()),
    "networks.importjob": _import_job,
    "networks.application": lambda n: ApplicationFactory(network=n),
    "networks.meeting": lambda n: MeetingFactory(network=n),
    "networks.reminder": _reminder,
    "networks.pledge": lambda n: Pledge.objects.create(
        organisation="Org", kind="company", country="JP", contact_name="A", contact_email="a@x.jp"
    ),
    "networks.partnerenquiry": lambda n: PartnerEnquiry.objects.create(
        organisation="Org", kind="company", contact_name="A", contact_email="a@x.jp", message="Hi"
    ),
    "networks.nominationcall": _call,
    "networks.policy": _policy,
    "networks.roadmapentry": _roadmap_entry,
    "networks.nomination": lambda n: Nomination.objects.create(
        call=_call(n),
        nominee_name="N",
        nominee_email="n@x.org",
        organisation="O",
        position="P",
        country="JP",
        languages="ja",
        why="x",
    ),
}
