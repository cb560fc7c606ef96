"""A submitter with an account finds their policies on their account's pages and
answers the secretariat from there, without the email's link."""

import pytest
from django.urls import reverse

from networks.policies.models import Policy
from tests.factories import UserFactory
from tests.policies.helpers import accepted, policy_data

pytestmark = pytest.mark.django_db
URL = reverse("policies:mine")


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_submitter_answers_the_secretariat_from_their_account(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("policies:submit"), policy_data()).status_code == 302
    policy = Policy.objects.get(submitted_by=user)
    policy.status, policy.decision_note = Policy.Status.MORE_INFO, "Which year was it adopted?"
    policy.save()
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "Which year was it adopted?" in html
    (edit,) = [link for link in page.context["policies"] if link.edit_path]
    form = client.get(edit.edit_path)
    assert form.status_code == 200 and policy.title in form.content.decode()


def test_nobody_sees_another_persons_policies(client):
    owner, stranger = UserFactory(), UserFactory()
    accepted(title="Bilbao open data", submitted_by=owner)
    accepted(title="Another submitter's policy", status=Policy.Status.MORE_INFO)
    client.force_login(stranger)
    html = client.get(URL).content.decode()
    assert "Bilbao open data" not in html and "Another submitter" not in html
    client.force_login(owner)
    html = client.get(URL).content.decode()
    assert "Bilbao open data" in html and "Another submitter" not in html


def test_the_page_costs_the_same_queries_whatever_the_number_of_policies(
    client, django_assert_max_num_queries
):
    user = UserFactory()
    for n in range(60):
        accepted(title=f"Policy {n}", submitted_by=user, status=Policy.Status.MORE_INFO)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        page = client.get(URL)
    assert len(page.context["policies"]) == 50
