import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.roles import NETWORK_HOST, SECRETARIAT
from cities.models import City
from networks.models import DirectoryExport, Membership
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"
HEADER = "slug,name,country,population,time_zone\n"


def upload(client, url_name, content, *, name="cities.csv", file_format=CSV_FORMAT):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        reverse(url_name),
        {"import_file": SimpleUploadedFile(name, content), "format": file_format, "resource": 0},
    )


def confirm(client, url_name, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(url_name), form.initial)


def export(client, url):
    """Ask for the export form, tick every column and download the CSV."""
    form = client.get(url).context["form"]
    data = {"format": CSV_FORMAT, "resource": 0}
    data.update({name: "on" for name, field in form.fields.items() if name not in data})
    data.pop("export_items", None)
    return client.post(url, data)


def secretariat_user(client):
    from alliance.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.fixture
def secretariat(client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    return client


def test_preview_shows_new_and_changed_rows_and_writes_nothing(secretariat):
    CityFactory(slug="medellin-co", name="Medelin", country="CO")
    content = (
        HEADER
        + "medellin-co,Medellín,CO,2500000,America/Bogota\n"
        + "quito-ec,Quito,EC,2800000,America/Guayaquil\n"
    )
    preview = upload(secretariat, "admin:cities_city_import", content)

    assert preview.status_code == 200
    totals = preview.context["result"].totals
    assert totals["new"] == 1 and totals["update"] == 1
    assert not City.objects.filter(slug="quito-ec").exists()
    assert City.objects.get(slug="medellin-co").name == "Medelin"

    done = confirm(secretariat, "admin:cities_city_process_import", preview)
    assert done.status_code == 302
    assert City.objects.get(slug="quito-ec").region == "latam"  # full_clean filled it in
    assert City.objects.get(slug="medellin-co").name == "Medellín"
    # Written in batches, still with their history and searchable names.
    quito = City.objects.get(slug="quito-ec")
    assert quito.history.get().history_user == secretariat_user(secretariat)
    assert quito.search_name == "quito"
    assert City.objects.get(slug="medellin-co").history.latest().history_type == "~"


def test_a_file_naming_the_same_new_city_twice_changes_nothing(secretariat):
    content = HEADER + "lima-pe,Lima,PE,9700000,America/Lima\n" * 2
    preview = upload(secretariat, "admin:cities_city_import", content)
    result = preview.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert not City.objects.filter(slug="lima-pe").exists()


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_row(secretariat):
    content = (
        HEADER
        + "lima-pe,Lima,PE,9700000,America/Lima\n"
        + "atlantis-xx,Atlantis,XX,-5,Nowhere/Atlantis\n"
        + "bogota-co,Bogotá,CO,7900000,America/Bogota\n"
    )
    preview = upload(secretariat, "admin:cities_city_import", content)

    result = preview.context["result"]
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert {"country", "population", "time_zone"} <= set(invalid.field_specific_errors)
    html = preview.content.decode()
    assert "Atlantis" in html
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert not City.objects.filter(slug__in=["lima-pe", "bogota-co"]).exists()


def test_memberships_import_from_excel_and_update_member_since(secretariat):
    city = CityFactory(slug="montevideo-uy", country="UY")
    network = NetworkFactory(slug="latam")
    book = tablib.Dataset(headers=["city", "network", "role", "status", "joined_on"])
    book.append(["montevideo-uy", "latam", "member", "active", "2024-03-01"])
    preview = upload(
        secretariat,
        "admin:networks_membership_import",
        book.export("xlsx"),
        name="members.xlsx",
        file_format=XLSX_FORMAT,
    )
    assert preview.context["result"].totals["new"] == 1
    confirm(secretariat, "admin:networks_membership_process_import", preview)

    membership = Membership.objects.get(city=city, network=network)
    assert membership.status == "active"
    city.refresh_from_db()
    assert str(city.member_since) == "2024-03-01"


def test_membership_row_naming_an_unknown_network_is_refused(secretariat):
    CityFactory(slug="lima-pe")
    content = "city,network,role,status,joined_on\nlima-pe,no-such-network,member,active,\n"
    preview = upload(secretariat, "admin:networks_membership_import", content)
    result = preview.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert not Membership.objects.exists()


def test_export_follows_the_changelist_filter_and_is_logged(secretariat):
    CityFactory(slug="lima-pe", country="PE", name="Lima")
    CityFactory(slug="quito-ec", country="EC", name="Quito")
    response = export(secretariat, reverse("admin:cities_city_export") + "?country__exact=PE")
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["lima-pe"]
    log = DirectoryExport.objects.get()
    assert log.filters["admin"] == "cities.city"
    assert log.filters["country__exact"] == "PE"


def test_host_exports_only_their_networks_contacts(client, make_staff):
    mine, other = NetworkFactory(), NetworkFactory()
    inside = CityOfficialFactory(phone="+57 1 111 1111")
    outside = CityOfficialFactory(phone="+44 20 999 9999")
    MembershipFactory(network=mine, city=inside.city)
    MembershipFactory(network=other, city=outside.city)
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    response = export(client, reverse("admin:cities_cityofficial_export"))
    body = b"".join(response).decode("utf-8-sig")
    assert "111 1111" in body and "999 9999" not in body
    assert DirectoryExport.objects.filter(filters__admin="cities.cityofficial").exists()


def test_no_admin_export_starts_with_a_get(client, staff_user):
    """Every admin export shows its form on GET and exports only on the form's POST
    (with the CSRF token), so a cross-site GET can neither download nor log one
    (issue #15, section 4, the same kind as the directory's export)."""
    from django.contrib import admin
    from import_export.admin import ExportMixin

    MembershipFactory()
    CityOfficialFactory()
    client.force_login(staff_user)
    urls = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    ]
    assert len(urls) >= 6  # cities, officials, memberships, applications, meetings, partners
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "text/html" in response["Content-Type"], url
    assert not DirectoryExport.objects.exists()
