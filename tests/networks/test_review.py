"""The secretariat's decisions, as services and through the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cities.models import City, CityOfficial
from networks.applications.services import (
    application_approve,
    application_reject,
    application_request_info,
)
from networks.models import Application, Membership
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_city_application():
    return ApplicationFactory(
        city=None,
        city_name="Pasto",
        city_country="CO",
        city_region="latam",
        city_population=392_930,
        city_time_zone="America/Bogota",
        language="es",
    )


def test_approving_creates_the_city_the_membership_and_the_official(
    new_city_application, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = application_approve(application=new_city_application, reviewer=staff_user)

    city = City.objects.get(name="Pasto")
    assert city.slug == "pasto-co" and city.population == 392_930
    assert set(city.principles.all()) == set(new_city_application.principles.all())
    assert membership.city == city and membership.status == "active"
    assert membership.joined_on is not None and membership.role == "member"
    official = CityOfficial.objects.get(user=new_city_application.applicant)
    assert official.city == city and official.is_primary_contact
    new_city_application.refresh_from_db()
    assert new_city_application.status == "approved"
    assert new_city_application.decided_by == staff_user
    assert new_city_application.city == city
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [new_city_application.applicant.email]


def test_approving_twice_creates_no_second_membership(
    new_city_application, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = application_approve(application=new_city_application, reviewer=staff_user)
        second = application_approve(application=new_city_application, reviewer=staff_user)
    assert first.pk == second.pk
    assert Membership.objects.count() == 1 and City.objects.count() == 1
    assert new_city_application.events.filter(status="approved").count() == 1
    assert len(mailoutbox) == 1


def test_second_official_of_a_city_is_not_made_primary(staff_user):
    city = CityFactory()
    CityOfficialFactory(city=city, is_primary_contact=True)
    application = ApplicationFactory(city=city)
    application_approve(application=application, reviewer=staff_user)
    assert not CityOfficial.objects.get(user=application.applicant).is_primary_contact


def test_approving_reactivates_a_lapsed_membership(staff_user):
    membership = MembershipFactory(status="lapsed")
    application = ApplicationFactory(city=membership.city, network=membership.network)
    application_approve(application=application, reviewer=staff_user)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert Membership.objects.count() == 1


def test_reject_requires_a_reason_and_sends_it(
    staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        application_reject(application=application, reviewer=staff_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(
            application=application, reviewer=staff_user, reason="Not a local government."
        )
    application.refresh_from_db()
    assert application.status == "rejected"
    assert "Not a local government." in mailoutbox[0].body
    with pytest.raises(ValidationError):
        application_approve(application=application, reviewer=staff_user)


def test_request_for_information_lets_the_applicant_resubmit(client, staff_user, mailoutbox):
    application = ApplicationFactory()
    application_request_info(
        application=application, reviewer=staff_user, message="Which department leads?"
    )
    client.force_login(application.applicant)
    edit = reverse("applications:edit", args=[application.pk])
    assert client.get(edit).status_code == 200
    data = {
        "city": application.city.slug,
        "network": application.network.pk,
        "applicant_name": "Ana Gómez",
        "applicant_position": "Digital director",
        "applicant_email": application.applicant_email,
        "applicant_phone": "+57 300 000 0000",
        "principles": [p.pk for p in application.principles.all()],
        "motivation": "The digital department leads; we want help with open data.",
        "consent": "on",
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert "digital department" in application.motivation
    assert list(application.events.values_list("status", flat=True)) == [
        "more-info",
        "submitted",
    ]


def test_an_application_not_waiting_for_information_cannot_be_edited(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.post(reverse("applications:edit", args=[application.pk]), {})
    assert response.status_code == 302
    assert Application.objects.get().status == "submitted"


# Admin ---------------------------------------------------------------------


def changelist():
    return reverse("admin:networks_application_changelist")


def test_admin_lists_the_oldest_waiting_application_first(client, staff_user):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    decided = ApplicationFactory(status="rejected", submitted_at=now - datetime.timedelta(days=90))
    newer = ApplicationFactory(submitted_at=now - datetime.timedelta(days=1))
    older = ApplicationFactory(submitted_at=now - datetime.timedelta(days=20))
    client.force_login(staff_user)
    response = client.get(changelist())
    assert response.status_code == 200
    shown = [a.pk for a in response.context["cl"].result_list]
    assert shown == [older.pk, newer.pk, decided.pk]


def test_admin_filters_by_country_and_age(client, staff_user):
    import datetime

    from django.utils import timezone

    old = ApplicationFactory(submitted_at=timezone.now() - datetime.timedelta(days=40))
    ApplicationFactory(city=CityFactory(country="IN", region="south-asia"))
    client.force_login(staff_user)
    by_country = client.get(changelist(), {"country": "CO"}).context["cl"].result_list
    assert [a.pk for a in by_country] == [old.pk]
    by_age = client.get(changelist(), {"age": "30"}).context["cl"].result_list
    assert [a.pk for a in by_age] == [old.pk]


def test_admin_bulk_approve(client, staff_user, mailoutbox):
    applications = ApplicationFactory.create_batch(2)
    client.force_login(staff_user)
    response = client.post(
        changelist(),
        {"action": "approve", "_selected_action": [a.pk for a in applications]},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(status="active").count() == 2


def test_admin_reject_asks_for_a_reason_first(client, staff_user, mailoutbox):
    application = ApplicationFactory()
    client.force_login(staff_user)
    form = client.post(changelist(), {"action": "reject", "_selected_action": [application.pk]})
    assert form.status_code == 200
    assert "Message to the applicant" in form.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"

    empty = client.post(
        changelist(),
        {"action": "reject", "_selected_action": [application.pk], "apply": "1", "message": ""},
    )
    assert empty.status_code == 200
    assert Application.objects.get().status == "submitted"

    done = client.post(
        changelist(),
        {
            "action": "reject",
            "_selected_action": [application.pk],
            "apply": "1",
            "message": "Outside the network's region.",
        },
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.decision_note == "Outside the network's region."


def test_non_staff_cannot_open_the_review(client, verified_user):
    client.force_login(verified_user)
    response = client.get(changelist())
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_unverified_applicant_is_not_made_an_official(client, staff_user, mailoutbox):
    """The application's account may belong to a stranger who signed up with the
    address (the admin lets the secretariat pick any applicant): it is refused and
    the admin says why (issue #15, section 3)."""
    application = ApplicationFactory(verified_applicant=False)
    with pytest.raises(ValidationError, match="has not confirmed its email address"):
        application_approve(application=application, reviewer=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk]},
        follow=True,
    )
    assert "has not confirmed its email address" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not CityOfficial.objects.filter(user=application.applicant).exists()
    assert not Membership.objects.exists()


def test_the_applications_list_heads_the_applicant_column_applicant(client, staff_user):
    application = ApplicationFactory(applicant_name="María Fernanda Rodríguez Castañeda")
    client.force_login(staff_user)
    html = client.get(changelist()).content.decode()
    assert "Your name" not in html
    assert ">Applicant</a>" in html or ">Applicant</span>" in html
    assert application.applicant_name in html
    # Dates take a date's width; the exact time is in the tooltip.
    assert '<time datetime="' in html
