"""The background import: preview, confirm, progress, cancel, all or nothing (issue #19)."""

import csv
import io
import re

import pytest
import tablib
from django.urls import reverse

from alliance.roles import SECRETARIAT
from cities.models import City
from networks.imports import run
from networks.models import ImportJob, Membership
from tests.factories import CityFactory, NetworkFactory

pytestmark = pytest.mark.django_db

HEADER = "slug,name,country,population,time_zone\n"


@pytest.fixture
def secretariat(client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    return client


def page(client, job):
    return client.get(reverse("admin:networks_importjob_change", args=[job.pk]))


def test_preview_counts_every_kind_of_row_and_writes_nothing(secretariat, upload, confirm):
    CityFactory(
        slug="medellin-co",
        name="Medelin",
        country="CO",
        population=2500000,
        time_zone="America/Bogota",
    )
    CityFactory(
        slug="lima-pe", name="Lima", country="PE", population=9700000, time_zone="America/Lima"
    )
    content = (
        HEADER
        + "medellin-co,Medellín,CO,2500000,America/Bogota\n"
        + "quito-ec,Quito,EC,2800000,America/Guayaquil\n"
        + "lima-pe,Lima,PE,9700000,America/Lima\n"
    )
    response, job = upload(secretariat, "cities", content)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    assert (job.rows, job.new, job.changed, job.unchanged, job.refused) == (3, 1, 1, 1, 0)
    assert job.samples["changed"][0]["changes"] == {"name": ["Medelin", "Medellín"]}
    assert not City.objects.filter(slug="quito-ec").exists()
    html = page(secretariat, job).content.decode()
    assert "Medellín" in html and "quito-ec" in html

    job = confirm(secretariat, job)
    assert job.state == ImportJob.State.DONE and job.written == 2
    quito = City.objects.get(slug="quito-ec")
    assert quito.region == "latam" and quito.search_name == "quito"
    assert quito.history.get().history_user.pk == job.created_by_id
    medellin = City.objects.get(slug="medellin-co")
    assert medellin.name == "Medellín" and medellin.history.latest().history_type == "~"
    assert medellin.search_name == "medellin"


def test_a_refused_row_changes_nothing_unless_the_valid_rows_are_chosen(
    secretariat, upload, confirm
):
    content = (
        HEADER
        + "lima-pe,Lima,PE,9700000,America/Lima\n"
        + "atlantis-xx,Atlantis,XX,-5,Nowhere/Atlantis\n"
        + "bogota-co,Bogotá,CO,7900000,America/Bogota\n"
    )
    _response, job = upload(secretariat, "cities", content)
    job.refresh_from_db()
    assert (job.new, job.refused) == (2, 1)
    reasons = [reason for number, reason in job.samples["refused"] if number == 3]
    assert {r.split(":")[0] for r in reasons} == {"country", "population", "time_zone"}
    refusals = page(secretariat, job).wsgi_request and secretariat.get(
        reverse("admin:networks_importjob_change", args=[job.pk]) + "?refusals=csv"
    )
    rows = list(csv.reader(io.StringIO(refusals.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "reason"] and {r[0] for r in rows[1:]} == {"3"}

    job = confirm(secretariat, job)  # all or nothing: refused, still waiting
    assert job.state == ImportJob.State.READY
    assert not City.objects.exists()

    job = confirm(secretariat, job, valid_only=True)
    assert job.state == ImportJob.State.DONE
    assert set(City.objects.values_list("slug", flat=True)) == {"lima-pe", "bogota-co"}


def test_a_row_refused_at_import_time_rolls_everything_back(secretariat, upload, confirm):
    content = HEADER + "lima-pe,Lima,PE,9700000,America/Lima\n" + "quito-ec,Quito,EC,1,UTC\n"
    _response, job = upload(secretariat, "cities", content)
    # Between the preview and the import, another city took Quito's GeoNames id... or
    # the file changed under the job: the import checks every row again.
    job.file.open("wb")
    job.file.write(
        (HEADER + "lima-pe,Lima,PE,9700000,America/Lima\nquito-ec,Quito,EC,-1,UTC\n").encode()
    )
    job.file.close()
    job = confirm(secretariat, job)
    assert job.state == ImportJob.State.FAILED and job.refused == 1
    assert not City.objects.exists()


def test_a_cancelled_import_writes_nothing(secretariat, upload, confirm, monkeypatch):
    content = HEADER + "".join(f"city-{n},City {n},CO,{n + 1},UTC\n" for n in range(50))
    _response, job = upload(secretariat, "cities", content)
    monkeypatch.setattr(run, "BATCH", 10)
    real = run.cities.write

    def cancel_after_first_batch(checked, context):
        written = real(checked, context)
        ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
        return written

    monkeypatch.setattr(run.cities, "write", cancel_after_first_batch)
    job = confirm(secretariat, job)
    assert job.state == ImportJob.State.CANCELLED and job.written == 0
    assert not City.objects.exists()


def test_a_conflicting_write_fails_the_import_instead_of_leaving_it_running(
    secretariat, upload, confirm, monkeypatch
):
    # Found by an attack on #19: two overlapping imports checked the same new rows, the
    # second to write met the unique constraint, and its job stayed "importing".
    from django.db import IntegrityError

    content = HEADER + "".join(f"city-{n},City {n},CO,{n + 1},UTC\n" for n in range(5))
    _response, job = upload(secretariat, "cities", content)

    def written_meanwhile(checked, context):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(run.cities, "write", written_meanwhile)
    job = confirm(secretariat, job)
    assert job.state == ImportJob.State.FAILED and job.written == 0
    assert job.error.startswith("Another change wrote some of these rows")
    assert "Another change wrote some of these rows" in page(secretariat, job).text
    assert not City.objects.exists()


def test_a_job_waiting_for_its_confirmation_can_be_discarded(secretariat, upload, confirm):
    _response, job = upload(secretariat, "cities", HEADER + "lima-pe,Lima,PE,1,UTC\n")
    job = confirm(secretariat, job, action="cancel")
    assert job.state == ImportJob.State.CANCELLED
    job = confirm(secretariat, job)
    assert job.state == ImportJob.State.CANCELLED and not City.objects.exists()


def test_progress_is_reported_while_importing_and_survives_a_reload(
    secretariat, upload, monkeypatch
):
    content = HEADER + "".join(f"city-{n},City {n},CO,{n + 1},UTC\n" for n in range(30))
    _response, job = upload(secretariat, "cities", content)
    job.refresh_from_db()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING)
    monkeypatch.setattr(run, "BATCH", 10)
    seen = []
    real = run._batch

    def batch_then_look(*args):
        real(*args)
        seen.append(page(secretariat, job).content.decode())

    monkeypatch.setattr(run, "_batch", batch_then_look)
    run.execute(job.pk)
    assert "10 rows done / 30" in seen[0] and "20 rows done / 30" in seen[1]
    assert 'http-equiv="refresh"' in seen[0] and "rows a second" in seen[0]
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.rows_done == 30
    assert 'http-equiv="refresh"' not in page(secretariat, job).content.decode()


def test_memberships_from_a_workbook(secretariat, upload, confirm):
    city = CityFactory(slug="montevideo-uy", country="UY")
    network = NetworkFactory(slug="latam")
    book = tablib.Dataset(headers=["city", "network", "role", "status", "joined_on"])
    book.append(["montevideo-uy", "latam", "member", "active", "2024-03-01"])
    _response, job = upload(secretariat, "memberships", book.export("xlsx"), name="m.xlsx")
    job.refresh_from_db()
    assert (job.state, job.new) == (ImportJob.State.READY, 1)
    job = confirm(secretariat, job)
    membership = Membership.objects.get(city=city, network=network)
    assert membership.status == "active"
    city.refresh_from_db()
    assert str(city.member_since) == "2024-03-01" and city.is_member


def test_a_role_changed_alone_by_import_shows_on_the_public_pages_at_once(
    secretariat, upload, confirm, client
):
    # Found by an attack on #21: only status changes started a new data version, so a
    # role or joined day changed by import left the kept network page as it was.
    from tests.factories import MembershipFactory

    membership = MembershipFactory(
        city__slug="lima-pe", city__name="Lima", network__slug="andes", role="member"
    )
    network_page = reverse("networks:detail", args=["andes"])
    founding = re.compile(
        r'role-counts__number">(\d+)</span>\s*<span class="badge badge--founding"'
    )

    def founding_members():
        return int(founding.search(client.get(network_page).text).group(1))

    assert founding_members() == 0  # the page is now kept for this data version
    content = "city,network,role,status,joined_on\nlima-pe,andes,founding,active,2020-01-15\n"
    _response, job = upload(secretariat, "memberships", content)
    job = confirm(secretariat, job)
    assert job.state == ImportJob.State.DONE and job.written == 1
    membership.refresh_from_db()
    assert membership.role == "founding"
    assert founding_members() == 1


def test_membership_rows_naming_unknown_cities_or_networks_are_refused(secretariat, upload):
    CityFactory(slug="lima-pe")
    NetworkFactory(slug="latam")
    content = (
        "city,network,role,status,joined_on\n"
        "lima-pe,no-such-network,member,active,\n"
        "atlantis,latam,member,active,\n"
        "lima-pe,latam,boss,active,01/03/2024\n"
        "lima-pe,latam,member,active,\n"
        "lima-pe,latam,member,active,\n"
    )
    _response, job = upload(secretariat, "memberships", content)
    job.refresh_from_db()
    assert (job.new, job.refused) == (1, 4)
    reasons = dict(job.samples["refused"][:2])
    assert reasons[2].startswith("network:") and reasons[3].startswith("city:")
