"""The member directory's CSV export: who may export, the quota, the log, CSRF, and
spreadsheet formulas neutralised."""

import pytest
from django.urls import reverse

from tests.factories import (
    CityOfficialFactory,
    UserFactory,
)
from tests.networks.directory_pages import URL, member

pytestmark = pytest.mark.django_db


EXPORT = reverse("directory_export")


def partner_user():
    from alliance.models import PartnerPerson
    from tests.factories import PartnerFactory

    return PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory()).user


def test_export_needs_a_signed_in_partner_or_staff(client):
    member("Bogotá")
    assert client.post(EXPORT).status_code == 302
    client.force_login(UserFactory())
    assert client.post(EXPORT).status_code == 403
    client.force_login(CityOfficialFactory().user)
    assert client.post(EXPORT).status_code == 403


def test_partner_exports_the_filtered_directory_and_the_export_is_logged(client):
    from networks.models import DirectoryExport

    member("Bogotá", population=7_600_000)
    member("Pasto", population=392_000)
    user = partner_user()
    client.force_login(user)
    response = client.post(EXPORT, {"size": "medium"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Pasto" in body and "Bogotá" not in body
    log = DirectoryExport.objects.get()
    assert log.user == user and log.filters == {"size": "medium"}


def test_exports_are_rate_limited_per_account_and_a_refused_one_is_not_logged(client):
    from networks.models import DirectoryExport

    member("Bogotá")
    client.force_login(partner_user())
    for _ in range(20):
        assert client.post(EXPORT).status_code == 200
    assert client.post(EXPORT).status_code == 429
    assert DirectoryExport.objects.count() == 20
    client.force_login(partner_user())  # another partner is not held back by the first
    assert client.post(EXPORT).status_code == 200


def test_export_neutralises_spreadsheet_formulas(client, staff_user):
    member('=HYPERLINK("http://evil.example")')
    member("+SUM(A1)")
    client.force_login(staff_user)
    body = b"".join(client.post(EXPORT).streaming_content).decode()
    assert "'=HYPERLINK" in body and "'+SUM(A1)" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_a_cross_site_get_of_the_export_neither_logs_nor_spends_the_quota(client):
    """Another site can make a signed-in partner's browser GET the URL (a link, an
    <img>); only the page's own form, a POST with its CSRF token, exports."""
    from networks.models import DirectoryExport

    member("Bogotá")
    client.force_login(partner_user())
    for _ in range(25):
        assert client.get(EXPORT).status_code == 405
    assert not DirectoryExport.objects.exists()
    assert client.post(EXPORT).status_code == 200  # the hourly quota is untouched
    assert DirectoryExport.objects.count() == 1


def test_the_export_needs_the_csrf_token(client):
    from django.test import Client

    from networks.models import DirectoryExport

    member("Bogotá")
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(partner_user())
    assert checked.post(EXPORT).status_code == 403
    assert not DirectoryExport.objects.exists()


def test_the_directory_offers_the_export_as_a_form_that_keeps_the_filters(client):
    import re

    from networks.models import DirectoryExport

    member("Bogotá", population=7_600_000)
    member("Pasto", population=392_000)
    client.force_login(partner_user())
    page = client.get(URL, {"size": "medium", "sort": "population"}).content.decode()
    form = re.search(rf'<form method="post" action="{EXPORT}"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no export form on the page"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1]))
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {"size": "medium", "sort": "population"}
    body = b"".join(client.post(EXPORT, fields).streaming_content).decode()
    assert "Pasto" in body and "Bogotá" not in body
    assert DirectoryExport.objects.get().filters == {"size": "medium", "sort": "population"}
