"""City names from many scripts are found by what a person types on a Latin keyboard.

Where they are searched: the directory, the application form's city search, the
duplicate check of a described city, and the admin's search boxes.
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from cities.gazetteer import fold
from cities.models import City
from networks.models import Application
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MembershipFactory,
    NetworkFactory,
    PioneerLinkFactory,
)

pytestmark = pytest.mark.django_db

# (name in the data, country, other names, what a person types)
NAMES = [
    ("Łódź", "PL", "", "lodz"),
    ("Wrocław", "PL", "", "wroclaw"),
    ("Tromsø", "NO", "", "tromso"),
    ("Ærøskøbing", "DK", "", "aeroskobing"),
    ("Reykjavík", "IS", "", "reykjavik"),
    ("Iğdır", "TR", "", "igdir"),
    ("İstanbul", "TR", "", "istanbul"),
    ("Đà Nẵng", "VN", "", "da nang"),
    ("Straße", "DE", "", "strasse"),
    ("L’Aquila", "IT", "", "l'aquila"),
    ("Sant’Angelo dei Lombardi", "IT", "", "santangelo"),
    ("浜松市", "JP", "Hamamatsu", "hamamatsu"),
]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("lodz", "Łódź"),
        ("LODZ", "Łódź"),
        ("łódź", "Łódź"),
        ("da nang", "Đà Nẵng"),
        ("tromso", "Tromsø"),
        ("aeroskobing", "Ærøskøbing"),
        ("igdir", "Iğdır"),
        ("IĞDIR", "Iğdır"),
        ("istanbul", "İstanbul"),
        ("strasse", "Straße"),
        # The apostrophe rule: straight, typographic or none at all, the same fold.
        ("l'aquila", "L’Aquila"),
        ("l’aquila", "L'Aquila"),
        ("laquila", "L’Aquila"),
        ("sant'angelo", "Sant’Angelo"),
        ("hawaii", "Hawaiʻi"),
        # Hyphens and spaces are one separator.
        ("saint etienne", "Saint-Étienne"),
    ],
)
def test_a_name_folds_like_what_a_person_types(typed, stored):
    assert fold(typed) == fold(stored)


def member(name, country, alternate_names=""):
    city = CityFactory(name=name, country=country, alternate_names=alternate_names)
    MembershipFactory(city=city, joined_on=datetime.date(2021, 3, 1))
    return city


@pytest.mark.parametrize(("name", "country", "others", "typed"), NAMES)
def test_the_directory_finds_the_city_by_its_latin_spelling(client, name, country, others, typed):
    member(name, country, others)
    member("Quito", "EC")
    page = client.get(reverse("directory"), {"q": typed}).content.decode()
    assert f">{name}</a>" in page
    assert ">Quito</a>" not in page


def test_the_directory_finds_a_japanese_name_by_itself_and_by_its_romanisation(client):
    member("加賀市", "JP", "Kaga")
    for typed in ("加賀市", "加賀", "kaga", "KAGA"):
        page = client.get(reverse("directory"), {"q": typed}).content.decode()
        assert ">加賀市</a>" in page, typed


@pytest.mark.parametrize(("name", "country", "others", "typed"), NAMES)
def test_the_application_form_finds_the_city_so_no_duplicate_is_made(
    client, name, country, others, typed
):
    city = CityFactory(name=name, country=country, alternate_names=others)
    page = client.get(reverse("apply"), {"q": typed}).content.decode()
    assert f"?city={city.slug}" in page


@pytest.mark.parametrize("typed", ["Lodz", "LODZ", "Łodz"])
def test_describing_a_city_already_in_the_directory_is_refused(client, verified_user, typed):
    from tests.networks.test_apply import new_city_data, post

    CityFactory(name="Łódź", country="PL", slug="lodz-pl")
    client.force_login(verified_user)
    data = new_city_data(
        NetworkFactory(kind="global", scope_region=""),
        city_name=typed,
        city_country="PL",
        city_region="europe",
        city_time_zone="Europe/Warsaw",
    )
    response = post(client, data)
    assert response.status_code == 400
    assert "already in the directory" in response.content.decode()
    assert not Application.objects.exists()


def test_describing_a_city_known_by_another_name_is_refused(client, verified_user):
    from tests.networks.test_apply import new_city_data, post

    CityFactory(name="Bengaluru", country="IN", slug="bengaluru-in", alternate_names="Bangalore")
    client.force_login(verified_user)
    data = new_city_data(
        NetworkFactory(kind="global", scope_region=""),
        city_name="Bangalore",
        city_country="IN",
        city_region="south-asia",
        city_time_zone="Asia/Kolkata",
    )
    assert post(client, data).status_code == 400
    assert not Application.objects.exists()


def results(client, url_name, typed):
    return set(client.get(reverse(url_name), {"q": typed}).context["cl"].result_list)


@pytest.mark.parametrize(("name", "country", "others", "typed"), NAMES)
def test_the_admin_city_search_finds_the_city(client, staff_user, name, country, others, typed):
    city = CityFactory(name=name, country=country, alternate_names=others)
    CityFactory(name="Quito", country="EC")
    client.force_login(staff_user)
    assert results(client, "admin:cities_city_changelist", typed) == {city}


def test_every_admin_search_by_city_finds_lodz_and_da_nang(client, staff_user):
    lodz = CityFactory(name="Łódź", country="PL")
    da_nang = CityFactory(name="Đà Nẵng", country="VN")
    membership = MembershipFactory(city=lodz)
    official = CityOfficialFactory(city=lodz)
    application = ApplicationFactory(city=lodz)
    link = PioneerLinkFactory(pioneer=da_nang, mentee=lodz)
    client.force_login(staff_user)
    assert results(client, "admin:networks_membership_changelist", "lodz") == {membership}
    assert results(client, "admin:cities_cityofficial_changelist", "lodz") == {official}
    assert results(client, "admin:networks_application_changelist", "lodz") == {application}
    assert results(client, "admin:networks_pioneerlink_changelist", "da nang") == {link}
    assert results(client, "admin:networks_pioneerlink_changelist", "lodz") == {link}


def test_the_migration_folds_every_stored_name_again():
    lodz = CityFactory(name="Łódź", country="PL", alternate_names="Lodsch")
    kaga = CityFactory(name="Kaga", country="JP", alternate_names="加賀市")
    # What the earlier fold stored, written without save() as old rows were.
    City.objects.filter(pk=lodz.pk).update(search_name="łódź\nlodsch")
    City.objects.filter(pk=kaga.pk).update(search_name="kaga\n加賀市")

    module = importlib.import_module("cities.migrations.0008_refold_search_name")
    module.refold(apps, SimpleNamespace(connection=connection))

    assert City.objects.get(pk=lodz.pk).search_name == "lodz\nlodsch"
    assert list(City.objects.search("lodz")) == [lodz]
    assert list(City.objects.search("加賀")) == [kaga]


def test_lists_sort_latin_names_by_their_fold_and_kana_in_their_own_order():
    from cities.gazetteer import sort_key

    assert sorted(["Zabrze", "Łódź", "Lima"], key=sort_key) == ["Lima", "Łódź", "Zabrze"]
    # Gojūon order (ka before sa before ta), not a transliteration's alphabet.
    assert sorted(["タイ", "カナダ", "スペイン"], key=sort_key) == ["カナダ", "スペイン", "タイ"]


def test_the_admin_city_autocomplete_finds_lodz(client, staff_user):
    lodz = CityFactory(name="Łódź", country="PL")
    CityFactory(name="Quito", country="EC")
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "lodz", "app_label": "networks", "model_name": "membership", "field_name": "city"},
    )
    assert [row["id"] for row in response.json()["results"]] == [str(lodz.pk)]


@pytest.mark.parametrize("typed", ["l aquila", "L Aquila", "laquila", "l’aquila"])
def test_an_apostrophe_typed_as_a_space_finds_the_city(client, typed):
    member("L’Aquila", "IT")
    member("Sant’Angelo dei Lombardi", "IT")
    page = client.get(reverse("directory"), {"q": typed}).content.decode()
    assert ">L’Aquila</a>" in page
    assert "Sant’Angelo" not in page
    assert City.objects.named(typed).get().name == "L’Aquila"


def test_a_city_described_with_its_apostrophe_as_a_space_is_a_duplicate(client, verified_user):
    from tests.networks.test_apply import new_city_data, post

    CityFactory(name="L’Aquila", country="IT", slug="laquila-it")
    client.force_login(verified_user)
    data = new_city_data(
        NetworkFactory(kind="global", scope_region=""),
        city_name="L Aquila",
        city_country="IT",
        city_region="europe",
        city_time_zone="Europe/Rome",
    )
    response = post(client, data)
    assert response.status_code == 400
    assert "already in the directory" in response.content.decode()


def test_the_migration_stores_the_spaced_spelling_of_existing_names():
    city = CityFactory(name="L’Aquila", country="IT")
    City.objects.filter(pk=city.pk).update(search_name="laquila")
    migration = importlib.import_module("cities.migrations.0009_search_name_spaced_apostrophes")
    migration.refold(apps, SimpleNamespace(connection=connection))
    assert City.objects.named("l aquila").get() == city


@pytest.mark.parametrize(("name", "typed"), [("Łódź", "lodz"), ("L’Aquila", "l aquila")])
def test_the_admin_finds_an_application_for_a_city_not_yet_in_the_directory(
    client, staff_user, name, typed
):
    described = ApplicationFactory(city=None, city_name=name, city_country="PL")
    ApplicationFactory(city=None, city_name="Quito", city_country="EC")
    client.force_login(staff_user)
    assert results(client, "admin:networks_application_changelist", typed) == {described}


def test_the_migration_folds_the_names_of_described_cities():
    described = ApplicationFactory(city=None, city_name="Łódź", city_country="PL")
    Application.objects.filter(pk=described.pk).update(city_search_name="")
    module = importlib.import_module("networks.migrations.0015_application_city_search_name")
    module.fill(apps, SimpleNamespace(connection=connection))
    assert Application.objects.get(pk=described.pk).city_search_name == "lodz"
