"""Who may upload, see, confirm and cancel an import, and what a host's file may touch
(networks.access.import_error, import_jobs; issue #19)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.roles import AUDITOR, NETWORK_HOST, SECRETARIAT
from networks.models import ImportJob, Membership
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)
from tests.imports.through_admin import import_through_admin

pytestmark = pytest.mark.django_db
MEMBERS = "city,network,role,status,joined_on\n"


@pytest.fixture
def networks(db):
    return NetworkFactory(slug="mine"), NetworkFactory(slug="theirs")


def a_job(network=None, **fields):
    job = ImportJob.objects.create(
        kind="memberships",
        created_by=UserFactory(),
        file="imports/x.csv",
        state="ready",
        new=1,
        **fields,
    )
    if network is not None:
        job.networks.add(network)
    return job


def urls(job):
    page = reverse("admin:networks_importjob_change", args=[job.pk])
    return {
        "list": ("get", reverse("admin:networks_importjob_changelist"), {}),
        "add": ("get", reverse("admin:networks_importjob_add"), {}),
        "page": ("get", page, {}),
        "refusals": ("get", page + "?refusals=csv", {}),
        "confirm": ("post", page, {"action": "confirm"}),
        "cancel": ("post", page, {"action": "cancel"}),
        "delete": (
            "post",
            reverse("admin:networks_importjob_delete", args=[job.pk]),
            {"post": "yes"},
        ),
    }


def status(response):
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return {200: "ok", 302: "ok", 403: "denied", 404: "hidden"}.get(
        response.status_code, response.status_code
    )


EXPECTED = {
    "anonymous": dict.fromkeys(
        ("list", "add", "page", "refusals", "confirm", "cancel", "delete"), "login"
    ),
    AUDITOR: {
        "list": "ok",
        "add": "denied",
        "page": "ok",
        "refusals": "ok",
        "confirm": "denied",
        "cancel": "denied",
        "delete": "denied",
    },
    SECRETARIAT: dict.fromkeys(
        ("list", "add", "page", "refusals", "confirm", "cancel", "delete"), "ok"
    ),
}


@pytest.mark.parametrize("role", ["anonymous", AUDITOR, SECRETARIAT])
def test_every_import_view_answers_each_role(client, make_staff, networks, role):
    if role != "anonymous":
        client.force_login(make_staff(role))
    for view in EXPECTED[role]:
        method, url, data = urls(a_job(networks[1]))[view]  # a fresh job each time
        assert status(getattr(client, method)(url, data)) == EXPECTED[role][view], view


def test_a_host_sees_and_acts_on_its_own_networks_imports_only(client, make_staff, networks):
    mine, theirs = networks
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    ours, other = a_job(mine), a_job(theirs)
    for view, (method, url, data) in urls(ours).items():
        want = "denied" if view == "delete" else "ok"
        assert status(getattr(client, method)(url, data)) == want, view
    for view, (method, url, data) in urls(other).items():
        if view in ("list", "add"):
            continue
        want = "denied" if view == "delete" else "hidden"
        assert status(getattr(client, method)(url, data)) == want, view
    other.refresh_from_db()
    assert other.state == "ready"  # neither confirmed nor cancelled
    listed = client.get(reverse("admin:networks_importjob_changelist")).context["cl"].result_list
    assert list(listed) == [ours]


def test_a_host_may_not_upload_cities(client, make_staff, networks):
    client.force_login(make_staff(NETWORK_HOST, hosts=[networks[0]]))
    response = client.post(
        reverse("admin:networks_importjob_add"),
        {"kind": "cities", "file": SimpleUploadedFile("c.csv", b"slug,name,country\nx,X,CO\n")},
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert not ImportJob.objects.exists()
    cities = client.get(reverse("admin:cities_city_changelist")).content.decode()
    members = client.get(reverse("admin:networks_membership_changelist")).content.decode()
    assert "importjob/add/?kind=cities" not in cities
    assert "importjob/add/?kind=memberships" in members


def test_a_hosts_file_is_checked_row_by_row(client, make_staff, networks):
    mine, theirs = networks
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    in_scope = MembershipFactory(network=mine, status="active").city  # already one of its cities
    approved = CityFactory(slug="approved")
    ApplicationFactory(city=approved, network=mine, status="approved")
    stranger = CityFactory(slug="stranger")
    content = (
        MEMBERS
        + f"{in_scope.slug},theirs,member,active,\n"  # another network: refused
        + "stranger,mine,member,active,\n"  # made active by the host alone: refused
        + "stranger,mine,member,pending,\n"  # the same pair twice: refused
        + "approved,mine,member,active,2024-01-01\n"
    )
    job = import_through_admin(client, "memberships", content, valid_only=True)
    reasons = dict(job.samples["refused"])
    assert set(reasons) == {2, 3, 4}
    assert "not one of yours" in reasons[2] and "approved application" in reasons[3]
    assert job.state == "done" and job.written == 1
    assert Membership.objects.get(city=approved, network=mine).status == "active"
    assert not Membership.objects.filter(city=stranger).exists()
    assert not Membership.objects.filter(network=theirs).exists()
    assert list(job.networks.all()) == [mine]


def test_the_secretariat_sees_the_imports_of_hosts(client, make_staff, networks):
    job = a_job(networks[0])
    client.force_login(make_staff(SECRETARIAT))
    assert client.get(reverse("admin:networks_importjob_change", args=[job.pk])).status_code == 200


def test_a_co_host_does_not_see_an_upload_that_reaches_beyond_its_networks(
    client, make_staff, networks
):
    # Found by an attack on #19: B hosts both networks and uploads; A hosts only one of
    # them and saw (and could confirm) B's rows for the other.
    mine, theirs = networks
    both = a_job(mine)
    both.networks.add(theirs)
    only_mine = a_job(mine)
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    page = reverse("admin:networks_importjob_change", args=[both.pk])
    assert client.get(page).status_code == 404
    assert client.post(page, {"action": "confirm"}).status_code == 404
    assert client.get(page + "?refusals=csv").status_code == 404
    shared = reverse("admin:networks_importjob_change", args=[only_mine.pk])
    assert client.get(shared).status_code == 200


def test_a_job_opens_from_a_filtered_list_and_a_finished_one_is_not_said_cancelled(
    client, make_staff, networks
):
    client.force_login(make_staff(SECRETARIAT))
    done = a_job(networks[0])
    ImportJob.objects.filter(pk=done.pk).update(state="done")
    page = reverse("admin:networks_importjob_change", args=[done.pk])
    # The admin's link from ?state__exact=done carries the list's filters.
    assert client.get(page, {"_changelist_filters": "state__exact=done"}).status_code == 200
    assert client.get(page, {"other": "1"}).status_code == 404
    response = client.post(page, {"action": "cancel"}, follow=True)
    assert "already ended: nothing was cancelled" in response.text
    done.refresh_from_db()
    assert done.state == "done"
