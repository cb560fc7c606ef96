"""Bad input against the policy library, its submission form and a city's roadmap (issue #17)."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.models import OutboundEmail
from networks.policies.models import Policy, RoadmapEntry
from tests.fuzz.harness import (
    FUZZ,
    check_escaped,
    client_for,
    form,
    principle_ids,
    problem,
    send,
    stored_values,
)

# The policy library and the roadmap (issue #17): a submitted policy stays out of the
# library until accepted; the library's filters and a city's roadmap take anything.


@pytest.mark.django_db
def test_policy_submission_and_library_survive_anything(world):
    client = client_for()
    admin = client_for(world["admin"])
    valid = {
        "title": st.text(min_size=1, max_size=40),
        "kind": st.sampled_from(["law", "regulation", "guidance"]),
        "adopter": st.text(min_size=1, max_size=30),
        "country": "CO",
        "city_name": st.sampled_from(["", "pasto-co", "/cities/pasto-co/"]),
        "principles": principle_ids(),
        "model_policies": st.lists(st.sampled_from(["open-data", "dig-once"]), max_size=2),
        "summary": st.text(min_size=1, max_size=200),
        "adopted_on": st.sampled_from(["2021-03-04", "2020-01-01"]),
        "policy_language": st.sampled_from(["es", "ja", "en"]),
        "link": "https://example.org/policy",
        "submitter_name": "Lucía",
        "submitter_email": "lucia@example.org",
        "consent": "on",
        "fax_number": "",
    }
    filters = {
        "q": st.sampled_from(["ley", "LODZ", ""]),
        "principle": "transparency-privacy",
        "model_policy": "open-data",
        "country": "CO",
        "kind": "law",
        "policy_language": "es",
        "city": "pasto-co",
        "page": "2",
    }

    @settings(FUZZ, max_examples=150)
    @given(data=form(valid), query=form(filters, []))
    def run(data, query):
        response = send(client, "post", reverse("policies:submit"), data, "policy submit")
        values = stored_values(data)
        if response.status_code == 302:
            policy = Policy.objects.latest("pk")
            listed = client_for().get(reverse("policies:library")).context["page"]
            if policy in listed.object_list:
                problem(f"policy: submitted {policy.title!r} is public")
            change = reverse("admin:networks_policy_change", args=[policy.pk])
            check_escaped(admin.get(change).content.decode(), values, "admin policy")
            for email in OutboundEmail.objects.filter(template="policy-received"):
                check_escaped(email.body_html, values, "policy email")
            policy.delete()
        page = send(client, "get", reverse("policies:library"), query, "policy library")
        check_escaped(page.content.decode(), stored_values(query), "policy library")

    run()


@pytest.mark.django_db
def test_a_citys_roadmap_survives_anything(world):
    official = client_for(world["official"].user)
    url = reverse("policies:city_roadmap", args=[world["city"].slug])
    valid = {}
    for policy in ("open-data", "dig-once", "privacy-impact", "cybersecurity", "ict-accessibility"):
        valid[f"{policy}-status"] = st.sampled_from(["adopted", "planned", "not-started"])
        valid[f"{policy}-since"] = st.sampled_from(["", "2021-05-01"])
        valid[f"{policy}-evidence_url"] = st.sampled_from(["", "https://example.org/e"])
        valid[f"{policy}-evidence_policy"] = ""

    @settings(FUZZ, max_examples=100)
    @given(data=form(valid))
    def run(data):
        send(official, "post", url, data, "city roadmap")
        page = send(official, "get", world["city"].get_absolute_url(), {}, "city page (roadmap)")
        check_escaped(page.content.decode(), stored_values(data), "city page (roadmap)")
        RoadmapEntry.objects.all().delete()

    run()
