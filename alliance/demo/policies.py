"""Demo data for the policy library and the roadmap (issue #17).

The seeds report three policies in 2023 (shared/DOMAIN.md: Mexico City publishing open
data sets, Tsukuba running privacy impact assessments, Istanbul's inclusive
procurement) but give no title, date or text: each demo policy is marked illustrative,
says "(demo)" and links to example.org. The founding members' roadmap steps are made
up too (a fixed pattern), each marked illustrative.
"""

import datetime

from cities.models import City, Principle
from networks.models import Membership, ModelPolicy
from networks.policies.models import PRINCIPLE_OF, Policy, PolicyKind, RoadmapEntry

# (title, kind, adopter, country, city name or "", model policy, adopted on, language)
DEMO_POLICIES = [
    (
        "Open data publication guidelines (demo)",
        PolicyKind.GUIDANCE,
        "Government of Mexico City",
        "MX",
        "Mexico City",
        ModelPolicy.OPEN_DATA,
        datetime.date(2021, 6, 1),
        "es",
    ),
    (
        "Privacy impact assessment of new technologies (demo)",
        PolicyKind.REGULATION,
        "Tsukuba City",
        "JP",
        "",
        ModelPolicy.PRIVACY_IMPACT,
        datetime.date(2022, 4, 1),
        "ja",
    ),
    (
        "Inclusive and accessible ICT procurement (demo)",
        PolicyKind.PROCUREMENT,
        "Istanbul Metropolitan Municipality",
        "TR",
        "",
        ModelPolicy.ICT_ACCESSIBILITY,
        datetime.date(2022, 9, 1),
        "tr",
    ),
]
DEMO_SUMMARY = (
    "Demo data: an illustrative entry, not a policy text published by the Alliance. "
    "The Alliance reported this kind of work in 2023; the title, date and summary here "
    "are made up to show how the library presents a policy."
)
# Founding member i, model policy j: STEPS[(i + j) % len(STEPS)].
STEPS = [
    RoadmapEntry.Status.ADOPTED,
    RoadmapEntry.Status.IN_PROGRESS,
    RoadmapEntry.Status.PLANNED,
    RoadmapEntry.Status.NOT_STARTED,
]


def load_policies() -> None:
    """The demo policies, accepted into the library (once per title)."""
    principles = {p.code: p for p in Principle.objects.all()}
    for title, kind, adopter, country, city, model_policy, adopted_on, language in DEMO_POLICIES:
        if Policy.objects.filter(title=title).exists():
            continue
        policy = Policy.objects.create(
            title=title,
            kind=kind,
            adopter=adopter,
            country=country,
            city=City.objects.filter(name=city, country=country).first() if city else None,
            model_policies=f",{model_policy},",
            summary=DEMO_SUMMARY,
            adopted_on=adopted_on,
            policy_language=language,
            link="https://example.org/",
            submitter_name="Demo submitter",
            submitter_email="policy.demo@example.org",
            status=Policy.Status.ACCEPTED,
            is_illustrative=True,
        )
        policy.principles.set([principles[PRINCIPLE_OF[model_policy]]])


def load_roadmap() -> None:
    """A roadmap for each founding member city, where it has none yet."""
    founding = (
        City.objects.filter(
            memberships__role=Membership.Role.FOUNDING,
            memberships__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )
    for i, city in enumerate(founding):
        if RoadmapEntry.objects.filter(city=city).exists():
            continue
        for j, policy in enumerate(ModelPolicy):
            status = STEPS[(i + j) % len(STEPS)]
            if status == RoadmapEntry.Status.NOT_STARTED:
                continue
            RoadmapEntry.objects.create(
                city=city,
                model_policy=policy,
                status=status,
                since=datetime.date(2021 + (i + j) % 3, 1 + (i * 5 + j) % 12, 1),
                is_illustrative=True,
            )
