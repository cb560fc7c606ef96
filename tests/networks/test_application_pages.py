"""Following one's applications: only one's own."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(city_name="", applicant_name="Ana Gómez")


@pytest.mark.parametrize(
    "name", ["applications:detail", "applications:edit", "applications:submitted"]
)
def test_another_users_application_is_404(client, application, name):
    client.force_login(UserFactory())
    assert client.get(reverse(name, args=[application.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("applications:list"),
        lambda a: reverse("applications:detail", args=[a.pk]),
        lambda a: reverse("applications:edit", args=[a.pk]),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, application, url):
    response = client.get(url(application))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_list_shows_only_my_applications_with_their_status(client, application):
    other = ApplicationFactory()
    client.force_login(application.applicant)
    html = client.get(reverse("applications:list")).content.decode()
    assert application.city.name in html
    assert other.city.name not in html
    assert "Submitted" in html


def test_detail_shows_the_history_with_dates(client, application, staff_user):
    from networks.applications.services import application_request_info

    application_request_info(
        application=application, reviewer=staff_user, message="Who leads the project?"
    )
    client.force_login(application.applicant)
    html = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "More information requested" in html
    assert "Who leads the project?" in html
    assert reverse("applications:edit", args=[application.pk]) in html


def test_list_queries_do_not_grow_with_applications(client, django_assert_max_num_queries):
    user = UserFactory()
    ApplicationFactory.create_batch(6, applicant=user)
    client.force_login(user)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("applications:list")).status_code == 200
