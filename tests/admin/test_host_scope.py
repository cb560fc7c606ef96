"""Issue #15 §1, the examples: a host's reach comes only from what the secretariat gave it."""

import pytest
from django.urls import reverse

from alliance.roles import NETWORK_HOST, SECRETARIAT
from cities.models import CityOfficial
from networks.models import Application, Membership
from tests.admin.forms import form_data
from tests.admin.test_import_export import export
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def latam_and_india(make_staff):
    latam = NetworkFactory(name="Regional Alliance for Latin America")
    india = NetworkFactory(
        name="National Alliance for India", kind="national", scope_region="", scope_country="IN"
    )
    host = make_staff(NETWORK_HOST, hosts=[latam])
    indore = CityFactory(name="Indore", country="IN", region="south-asia", time_zone="Asia/Kolkata")
    MembershipFactory(city=indore, network=india)
    secret = CityOfficialFactory(
        city=indore,
        user=UserFactory(email="private@indore.gov.in"),
        phone="+91 731 000 0003",
        contact_audience=CityOfficial.Audience.SECRETARIAT,
    )
    return latam, india, host, indore, secret


def test_host_cannot_move_its_application_to_an_indian_city_and_approve_it(
    client, latam_and_india, mailoutbox
):
    latam, india, host, indore, _secret = latam_and_india
    application = ApplicationFactory(network=latam)
    city, applicant = application.city, application.applicant
    client.force_login(host)
    url = reverse("admin:networks_application_change", args=[application.pk])
    data = form_data(client.get(url))
    data.update({"city": indore.pk, "applicant": host.pk, "_save": "Save"})
    client.post(url, data)
    client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
    )

    application.refresh_from_db()
    assert (application.city, application.applicant) == (city, applicant)
    assert not CityOfficial.objects.filter(user=host).exists()
    assert not Membership.objects.filter(city=indore, network=latam).exists()


def test_host_sees_no_account_through_the_applicant_choice(client, latam_and_india):
    latam, _india, host, _indore, _secret = latam_and_india
    application = ApplicationFactory(network=latam)
    stranger = UserFactory(email="stranger@example.org", first_name="Secret", last_name="Name")
    client.force_login(host)
    url = reverse("admin:networks_application_change", args=[application.pk])
    data = form_data(client.get(url))
    data.update({"applicant": stranger.pk, "_continue": "Save"})
    response = client.post(url, data, follow=True)
    assert "stranger@example.org" not in response.content.decode()
    application.refresh_from_db()
    assert application.applicant != stranger


def test_host_cannot_add_a_membership_of_a_city_outside_its_networks(client, latam_and_india):
    latam, _india, host, indore, _secret = latam_and_india
    client.force_login(host)
    add = client.post(
        reverse("admin:networks_membership_add"),
        {
            "city": indore.pk,
            "network": latam.pk,
            "role": "member",
            "status": "pending",
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert add.status_code == 200  # refused: the form comes back with an error
    assert not Membership.objects.filter(city=indore, network=latam).exists()


def test_a_pending_membership_in_the_hosts_network_gives_it_nothing_of_the_city(
    client, latam_and_india
):
    """Made before the fix, or by the secretariat: pending is not a member yet."""
    latam, _india, host, indore, secret = latam_and_india
    pending = MembershipFactory(city=indore, network=latam, status="pending")
    client.force_login(host)

    page = client.get(reverse("cities:detail", args=[indore.slug])).content.decode()
    assert "private@indore.gov.in" not in page and "731 000 0003" not in page
    officials = client.get(reverse("admin:cities_cityofficial_changelist"))
    assert secret not in officials.context["cl"].result_list
    csv = b"".join(export(client, reverse("admin:cities_cityofficial_export"))).decode()
    assert "731 000 0003" not in csv
    csv = b"".join(export(client, reverse("admin:cities_city_export"))).decode()
    assert "Indore" not in csv
    assert client.get(reverse("cities:edit", args=[indore.slug])).status_code == 404
    for view in ("change", "history"):
        url = reverse(f"admin:cities_city_{view}", args=[indore.pk])
        assert client.get(url).status_code in (302, 404), view

    # Nor can the host make it active itself.
    url = reverse("admin:networks_membership_change", args=[pending.pk])
    data = form_data(client.get(url))
    client.post(url, {**data, "status": "active", "_save": "Save"})
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_city_that_has_only_applied_shows_its_application_not_its_contacts(
    client, latam_and_india
):
    latam, _india, host, indore, secret = latam_and_india
    application = ApplicationFactory(network=latam, city=indore)
    client.force_login(host)
    url = reverse("admin:networks_application_change", args=[application.pk])
    assert client.get(url).status_code == 200
    page = client.get(reverse("cities:detail", args=[indore.slug])).content.decode()
    assert "731 000 0003" not in page
    assert (
        secret
        not in client.get(reverse("admin:cities_cityofficial_changelist")).context["cl"].result_list
    )


def test_approved_application_brings_the_city_into_the_hosts_scope(
    client, latam_and_india, mailoutbox
):
    """The city's own official applied: the host decides, and then sees the city."""
    latam, _india, host, indore, secret = latam_and_india
    application = ApplicationFactory(network=latam, city=indore, applicant=secret.user)
    client.force_login(host)
    client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert Membership.objects.get(city=indore, network=latam).status == "active"
    page = client.get(reverse("cities:detail", args=[indore.slug])).content.decode()
    assert "731 000 0003" in page


def test_host_cannot_approve_a_second_account_into_a_city_with_officials(
    client, latam_and_india, mailoutbox
):
    """Anyone can apply in Indore's name, the host's own second account too; approving
    it would make that account Indore's official and show the host Indore's contacts."""
    latam, _india, host, indore, secret = latam_and_india
    puppet = UserFactory(email="second-account@example.org")
    application = ApplicationFactory(network=latam, city=indore, applicant=puppet)
    client.force_login(host)
    response = client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
        follow=True,
    )
    assert "the secretariat decides this" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not CityOfficial.objects.filter(user=puppet).exists()
    assert not Membership.objects.filter(city=indore, network=latam).exists()
    page = client.get(reverse("cities:detail", args=[indore.slug])).content.decode()
    assert "731 000 0003" not in page


def test_host_cannot_approve_a_stranger_into_a_city_of_its_own_network_with_officials(
    client, latam_and_india, mailoutbox
):
    """Indore is already a member of both networks: the new official would follow the
    India network's meetings (places, online links) which its host does not manage."""
    latam, india, host, indore, _secret = latam_and_india
    MembershipFactory(city=indore, network=latam)
    meeting = MeetingFactory(network=india)
    puppet = UserFactory(email="second-account@example.org")
    application = ApplicationFactory(network=latam, city=indore, applicant=puppet)
    application.network = NetworkFactory(name="Another network of the host")
    application.network.hosts.add(host)
    application.save()
    client.force_login(host)
    client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
    )
    assert not CityOfficial.objects.filter(user=puppet).exists()
    client.force_login(puppet)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_host_cannot_make_the_first_official_of_a_city_of_another_network(
    client, latam_and_india, mailoutbox
):
    """A directory city in the India network with no official yet: its first official,
    approved by the Latin America host, would follow the India network's meetings."""
    latam, india, host, _indore, _secret = latam_and_india
    pune = CityFactory(name="Pune", country="IN")
    MembershipFactory(city=pune, network=india)
    meeting = MeetingFactory(network=india)
    puppet = UserFactory(email="second-account@example.org")
    application = ApplicationFactory(network=latam, city=pune, applicant=puppet)
    client.force_login(host)
    client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
    )
    assert not CityOfficial.objects.filter(user=puppet).exists()
    client.force_login(puppet)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_the_secretariat_still_approves_a_stranger_for_a_city_with_officials(
    client, latam_and_india, make_staff, mailoutbox
):
    latam, _india, _host, indore, _secret = latam_and_india
    application = ApplicationFactory(network=latam, city=indore)
    client.force_login(make_staff(SECRETARIAT))
    client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_host_approves_a_city_without_officials_yet(client, latam_and_india, mailoutbox):
    latam, _india, host, _indore, _secret = latam_and_india
    lima = CityFactory(name="Lima", country="PE")
    application = ApplicationFactory(network=latam, city=lima)
    client.force_login(host)
    client.post(
        reverse("admin:networks_application_changelist"),
        {"action": "approve", "_selected_action": [application.pk], "index": 0},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


@pytest.mark.parametrize("view", ["history", "version", "revert", "change", "delete"])
def test_another_networks_city_pages_are_not_found_for_a_host(client, latam_and_india, view):
    _latam, _india, host, indore, _secret = latam_and_india
    indore.population = 2_000_000
    indore.save()  # a second version, edited by someone
    version = indore.history.earliest()
    client.force_login(host)
    if view in ("version", "revert"):
        url = reverse("admin:cities_city_simple_history", args=[indore.pk, version.pk])
    else:
        url = reverse(f"admin:cities_city_{view}", args=[indore.pk])
    response = client.post(url, {}) if view == "revert" else client.get(url)
    assert (
        response.status_code in (403, 404)
        if view == "delete"
        else response.status_code == 404
        or (response.status_code == 302 and response["Location"] == reverse("admin:index"))
    ), response.status_code
    indore.refresh_from_db()
    assert indore.population == 2_000_000
