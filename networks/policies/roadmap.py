"""Reads of the roadmap: /roadmap/'s overview, a network's matrix, a city's steps.

Each costs a constant number of queries whatever the number of cities: counts come
from one aggregate, lists are LIMITed index range scans on
(model_policy, status, city) (`roadmap_policy_status_idx`).
"""

from django.db.models import Count, F, Q

from cities.models import Principle
from networks.models.pioneers import ModelPolicy
from networks.policies.models import PRINCIPLE_OF, RoadmapEntry

Step = RoadmapEntry.Status
CITIES_LISTED = 12  # per model policy and group (adopted, working on it) on /roadmap/
MATRIX_MEMBERS = 50  # rows of a network page's matrix
WORKING = [Step.PLANNED, Step.IN_PROGRESS]


def _cities(model_policy: str, statuses) -> list[dict]:
    rows = (
        RoadmapEntry.objects.filter(
            model_policy=model_policy, status__in=statuses, city__is_member=True
        )
        .order_by("city_id")
        .values("status", "since", name=F("city__name"), slug=F("city__slug"))
    )
    return list(rows[:CITIES_LISTED])


def overview() -> dict:
    """{"groups": [{"principle", "policies": [{"value", "label", "adopted", "working",
    "adopted_more", "working_more", "adopted_cities", "working_cities"}]}] in the
    principles' order, "illustrative": whether any step is demo data}: 12 queries."""
    counts = {
        row["model_policy"]: row
        # Member cities only (City.is_member, kept by networks.facts): a city that left
        # keeps its steps, but the Alliance's roadmap no longer counts them.
        for row in RoadmapEntry.objects.filter(city__is_member=True)
        .order_by()
        .values("model_policy")
        .annotate(
            adopted=Count("id", filter=Q(status=Step.ADOPTED)),
            working=Count("id", filter=Q(status__in=WORKING)),
            illustrative=Count("id", filter=Q(is_illustrative=True)),
        )
    }
    by_principle: dict[str, list] = {}
    for policy in ModelPolicy:
        numbers = counts.get(policy.value, {})
        adopted, working = numbers.get("adopted", 0), numbers.get("working", 0)
        by_principle.setdefault(PRINCIPLE_OF[policy], []).append(
            {
                "value": policy.value,
                "label": policy.label,
                "adopted": adopted,
                "working": working,
                "adopted_more": max(0, adopted - CITIES_LISTED),
                "working_more": max(0, working - CITIES_LISTED),
                "adopted_cities": _cities(policy.value, [Step.ADOPTED]),
                "working_cities": _cities(policy.value, WORKING),
            }
        )
    groups = [
        {"principle": principle, "policies": by_principle.get(principle.code, [])}
        for principle in Principle.objects.all()
    ]
    illustrative = any(row["illustrative"] for row in counts.values())
    return {"groups": groups, "illustrative": illustrative}


def network_matrix(network) -> dict:
    """{"policies": [(value, label)], "rows": [(city, [status or "not-started"])],
    "shown": n}: the first MATRIX_MEMBERS active members to join, 2 queries."""
    memberships = list(
        network.memberships.active()
        .select_related("city")
        .only("network", "joined_on", "city__name", "city__slug")
        .earliest_first()[:MATRIX_MEMBERS]
    )
    cities = [m.city for m in memberships]
    steps = (
        {
            (city_id, policy): status
            for city_id, policy, status in RoadmapEntry.objects.filter(
                city_id__in=[c.pk for c in cities]
            ).values_list("city_id", "model_policy", "status")
        }
        if cities
        else {}
    )
    labels = dict(Step.choices)
    # Enum members looked up once, not per cell: 250 cells at MATRIX_MEMBERS.
    policies, not_started = list(ModelPolicy.values), Step.NOT_STARTED.value
    rows = []
    for city in cities:
        statuses = [steps.get((city.pk, policy), not_started) for policy in policies]
        rows.append((city, [(s, labels[s]) for s in statuses]))
    return {"policies": list(ModelPolicy.choices), "rows": rows, "shown": len(rows)}


def city_steps(city) -> list[dict]:
    """[{"value", "label", "entry" (a RoadmapEntry or None)}] per model policy, 1 query."""
    entries = {
        e.model_policy: e
        for e in RoadmapEntry.objects.filter(city=city).select_related("evidence_policy")
    }
    return [
        {"value": p.value, "label": p.label, "entry": entries.get(p.value)} for p in ModelPolicy
    ]


CONTRIBUTED = 10  # policies listed on a city's page; the library filtered by city has all


def city_parts(city) -> dict:
    """What a city's (cached) page shows of the roadmap and the library: 3 queries."""
    contributed = city.policies.in_library().order_by("-adopted_on", "-id")
    return {
        "roadmap_steps": city_steps(city),
        "contributed": list(contributed.only("title", "adopted_on", "kind")[:CONTRIBUTED]),
        "contributed_total": contributed.count(),
    }
