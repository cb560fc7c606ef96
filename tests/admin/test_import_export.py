import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.roles import NETWORK_HOST, SECRETARIAT
from networks.models import DirectoryExport
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
