"""The secretariat's review in the admin: the change form's decision and the actions
call the service (state, email); hosts keep to their cities' roadmap steps."""

import pytest
from django.urls import reverse

from alliance.roles import AUDITOR, NETWORK_HOST, SECRETARIAT
from networks.policies.models import Policy, RoadmapEntry
from tests.factories import MembershipFactory, NetworkFactory
from tests.policies.helpers import accepted

pytestmark = pytest.mark.django_db


def change_data(policy, **changes):
    data = {
        "title": policy.title,
        "kind": policy.kind,
        "adopter": policy.adopter,
        "country": policy.country.code,
        "city": "",
        "principles": [],
        "model_policies": policy.model_policies,
        "summary": policy.summary,
        "adopted_on": policy.adopted_on.isoformat(),
        "policy_language": policy.policy_language,
        "link": policy.link,
        "submitter_name": policy.submitter_name,
        "submitter_email": policy.submitter_email,
        "decision_note": "",
        "decision": "",
    }
    data.update(changes)
    return data


def test_the_change_forms_decision_emails_the_submitter(
    client, make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    policy = accepted(status="submitted", language="pt-br")
    client.force_login(make_staff(SECRETARIAT))
    url = reverse("admin:networks_policy_change", args=[policy.pk])
    data = change_data(policy, decision="more-info", decision_note="Qual é a data?")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.status == "more-info"
    (message,) = mailoutbox
    assert "Qual é a data?" in message.body and "/pt-br/policies/edit/" in message.body
    # Declining without a reason is refused on the form; the state stays.
    data = change_data(policy, decision="declined", decision_note="")
    assert "decision_note" in client.post(url, data).context["adminform"].form.errors
    policy.refresh_from_db()
    assert policy.status == "more-info" and len(mailoutbox) == 1


def test_the_actions_move_only_what_may_move(client, make_staff, mailoutbox):
    waiting, done = accepted(status="submitted"), accepted(status="declined", decision_note="x")
    client.force_login(make_staff(SECRETARIAT))
    changelist = reverse("admin:networks_policy_changelist")
    client.post(
        changelist,
        {"action": "accept", "_selected_action": [waiting.pk, done.pk], "index": 0},
    )
    assert Policy.objects.get(pk=waiting.pk).status == "accepted"
    assert Policy.objects.get(pk=done.pk).status == "accepted"  # declined → accepted may
    client.post(changelist, {"action": "start_review", "_selected_action": [waiting.pk]})
    assert Policy.objects.get(pk=waiting.pk).status == "accepted"  # no way back to review


def test_the_pdf_in_the_admin_is_a_download_for_readers_only(client, make_staff):
    from django.core.files.base import ContentFile

    policy = accepted(status="submitted")
    policy.pdf.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    url = reverse("admin:networks_policy_pdf", args=[policy.pk])
    client.force_login(make_staff(AUDITOR))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attach")
    client.force_login(make_staff(NETWORK_HOST, hosts=[NetworkFactory()]))
    assert client.get(url).status_code == 403


def test_a_host_sees_and_edits_only_its_cities_roadmap_steps(client, make_staff):
    mine, theirs = NetworkFactory(), NetworkFactory()
    own = RoadmapEntry.objects.create(
        city=MembershipFactory(network=mine).city, model_policy="open-data", status="planned"
    )
    other = RoadmapEntry.objects.create(
        city=MembershipFactory(network=theirs).city, model_policy="open-data", status="planned"
    )
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    listed = client.get(reverse("admin:networks_roadmapentry_changelist")).context["cl"]
    assert list(listed.result_list) == [own]
    assert (
        client.get(reverse("admin:networks_roadmapentry_change", args=[other.pk])).status_code
        == 302  # Django's admin: "doesn't exist", back to the index
    )
    url = reverse("admin:networks_roadmapentry_change", args=[own.pk])
    data = {
        "city": own.city_id,
        "model_policy": "open-data",
        "status": "adopted",
        "since": "2022-01-01",
        "evidence_url": "",
        "evidence_policy": "",
    }
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert own.status == "adopted" and own.history.count() == 2
