"""Files as people really make them, and files that are no spreadsheet at all: each is
imported, or refused with a sentence that says why, never a 500 (issue #19)."""

import datetime

import pytest
import tablib
from django.urls import reverse

from alliance.roles import SECRETARIAT
from cities.models import City
from networks.models import ImportJob, Membership
from tests.factories import CityFactory, NetworkFactory
from tests.imports.through_admin import import_through_admin

pytestmark = pytest.mark.django_db

SEMICOLONS = (
    "slug;name;country;population;time_zone;alternate_names\r\n"
    'bogota-co;Bogotá;CO;7900000;America/Bogota;"Santa Fe de Bogotá, D.C."\r\n'
    "sao-paulo-br;São Paulo;BR;12300000;America/Sao_Paulo;\r\n"
)


@pytest.fixture
def secretariat(client, make_staff):
    client.force_login(make_staff(SECRETARIAT))
    return client


def job_page(client, job) -> str:
    response = client.get(reverse("admin:networks_importjob_change", args=[job.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Traceback" not in html and 'File "' not in html
    return html


@pytest.mark.parametrize(
    ("content", "shape"),
    [
        (SEMICOLONS.encode(), "semicolons, Excel in Spanish or Portuguese"),
        (b"\xef\xbb\xbf" + SEMICOLONS.encode(), "semicolons with a UTF-8 BOM"),
        (SEMICOLONS.replace(";", "\t").encode("utf-16"), "Excel's Unicode text: UTF-16, tabs"),
        (SEMICOLONS.replace(";", ",").encode(), "commas"),
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
def test_a_city_csv_of_every_shape_excel_saves_imports(secretariat, content, shape):
    job = import_through_admin(secretariat, "cities", content)
    assert (job.state, job.new) == ("done", 2), shape
    bogota = City.objects.get(slug="bogota-co")
    assert bogota.name == "Bogotá"
    assert bogota.alternate_names == "Santa Fe de Bogotá, D.C."
    assert City.objects.get(slug="sao-paulo-br").name == "São Paulo"


def test_the_upload_page_states_the_accepted_separators_encodings_and_dates(secretariat):
    html = secretariat.get(reverse("admin:networks_importjob_add")).content.decode()
    assert "semicolons" in html and "UTF-8" in html and "YYYY-MM-DD" in html


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("slug,name,country\nbogota-co,Bogotá,CO\n".encode("latin-1"), "not saved as UTF-8"),
        ("slug,name,country\nbogota-co,Bogota,CO\n".encode("utf-16-le"), "UTF-16"),
        (b"slug,name,country\nbogota-co,Bo\x00gota,CO\n", "NUL character"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "neither a CSV file nor an Excel"),
        (b"PK\x03\x04" + b"\x00" * 200, "neither a CSV file nor an Excel"),
        (bytes(range(128, 256)) * 8, "not saved as UTF-8"),
        ("name,country\nBogotá,CO\n", "Missing: slug"),
        ("slug,name,colour\nbogota-co,Bogotá,red\n", "Unknown: colour"),
        ("slug,name,slug\nbogota-co,Bogotá,x\n", "Named twice: slug"),
        ("slug;name;country\r\nsao-paulo-br;Sao Paulo;BR;x;y\r\n", "Row 2 has 5 values"),
        (f"slug;name;alternate_names\r\nbogota-co;Bogota;{'x' * 200_000}\r\n", "32,767"),
        ("", "empty"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(secretariat, content, said):
    job = import_through_admin(secretariat, "cities", content or b" ")
    assert job.state == ImportJob.State.UNREADABLE, job.error
    assert said in job.error
    assert said.split(":")[0] in job_page(secretariat, job)
    assert not City.objects.exists()


def test_an_empty_upload_is_refused_on_the_form(secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = secretariat.post(
        reverse("admin:networks_importjob_add"),
        {"kind": "cities", "file": SimpleUploadedFile("x.csv", b"")},
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (f"big-xx,Big,CO,{2**70},UTC", "population"),
        ("neg-xx,Neg,CO,-5,UTC", "population"),
        ("dot-xx,Dot,CO,4.5,UTC", "population"),
        ("tz-xx,Tz,CO,5,Mars/Olympus", "time_zone"),
        ("country-xx,Country,XX,5,UTC", "country"),
        ("bad slug,Bad,CO,5,UTC", "slug"),
        (f"long-xx,{'n' * 201},CO,5,UTC", "name"),
    ],
)
def test_a_bad_cell_is_a_refused_row_named_with_its_column(secretariat, row, column):
    content = f"slug,name,country,population,time_zone\nok-co,Ok,CO,5,UTC\n{row}\n"
    job = import_through_admin(secretariat, "cities", content)
    assert (job.state, job.refused) == ("ready", 1)  # not confirmed: all or nothing
    (number, reason), *_more = job.samples["refused"]
    assert number == 3 and reason.startswith(column + ":")
    assert not City.objects.exists()


def test_a_workbook_date_cell_and_an_iso_date_are_read_and_a_guess_is_refused(secretariat):
    for slug in ("pasto-co", "cali-co", "lima-pe"):
        CityFactory(slug=slug)
    NetworkFactory(slug="latam")
    book = tablib.Dataset(headers=["city", "network", "role", "status", "joined_on"])
    book.append(["pasto-co", "latam", "member", "active", datetime.datetime(2024, 3, 21)])  # noqa: DTZ001
    book.append(["cali-co", "latam", "member", "active", "2024-03-01"])
    book.append(["lima-pe", "latam", "member", "active", "01/03/2024"])
    job = import_through_admin(secretariat, "memberships", book.export("xlsx"), name="m.xlsx")
    assert (job.refused, job.samples["refused"][0][0]) == (1, 4)
    assert "YYYY-MM-DD" in job.samples["refused"][0][1]
    job = import_through_admin(
        secretariat, "memberships", book.export("xlsx"), name="m.xlsx", valid_only=True
    )
    assert job.state == "done"
    days = dict(Membership.objects.values_list("city__slug", "joined_on"))
    assert days == {"pasto-co": datetime.date(2024, 3, 21), "cali-co": datetime.date(2024, 3, 1)}
