"""Demo data for the ways in (issue #17): a few supporters and an event open for
nominations. All of it is illustrative: the seeds name no pledge and no call, so every
name says "(demo)" and every address is at example.org."""

import datetime

from cities.models import Principle
from networks.involvement.models import OrganisationKind, Pledge
from networks.models import Meeting, Network
from networks.nominations.models import NominationCall

# (organisation, kind, country, principle codes or () for all five, listed publicly)
DEMO_SUPPORTERS = [
    ("Andes Civic Data Lab (demo)", OrganisationKind.CIVIL_SOCIETY, "CO", (), True),
    ("Northbridge Urban Systems (demo)", OrganisationKind.COMPANY, "GB", (), True),
    ("Sakura Mobility Start-up (demo)", OrganisationKind.STARTUP, "JP", ("sustainability",), True),
    ("Institute for Open Cities (demo)", OrganisationKind.RESEARCH, "IN", (), True),
    ("Province of Lagoa Azul (demo)", OrganisationKind.GOVERNMENT, "BR", (), False),
]
DEMO_CALL_MEETING = "Policy workshop: privacy impact assessment (demo)"
DEMO_CALL_SUMMARY = (
    "Demo data: an illustrative call, not one announced by the Alliance. A workshop for "
    "city officials, researchers and civil-society experts who run or review privacy impact "
    "assessments for new technology."
)
DEMO_CALL_CLOSES_DAYS_BEFORE = 10


def load_supporters() -> None:
    principles = {p.code: p for p in Principle.objects.all()}
    for organisation, kind, country, codes, listed in DEMO_SUPPORTERS:
        if Pledge.objects.filter(organisation=organisation).exists():
            continue
        pledge = Pledge.objects.create(
            organisation=organisation,
            kind=kind,
            country=country,
            website="https://example.org/",
            contact_name="Demo contact",
            contact_email="pledge.demo@example.org",
            may_be_listed=listed,
            status=Pledge.Status.PUBLISHED,
        )
        pledge.principles.set([principles[c] for c in codes] if codes else principles.values())


def load_call() -> None:
    """Open the global network's demo workshop for nominations (once per meeting)."""
    network = Network.objects.filter(slug="global-alliance").first()
    meeting = (
        Meeting.objects.upcoming().filter(network=network, title=DEMO_CALL_MEETING).first()
        if network
        else None
    )
    if meeting is None or NominationCall.objects.filter(meeting=meeting).exists():
        return
    NominationCall.objects.create(
        meeting=meeting,
        summary=DEMO_CALL_SUMMARY,
        deadline=meeting.starts_at - datetime.timedelta(days=DEMO_CALL_CLOSES_DAYS_BEFORE),
    )
