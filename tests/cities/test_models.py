import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cities.models import City
from cities.services import city_unique_slug
from cities.sizes import SizeClass
from tests.factories import CityFactory, CityOfficialFactory

pytestmark = pytest.mark.django_db


def test_database_rejects_duplicate_slug():
    CityFactory(slug="cordoba-ar")
    with pytest.raises(IntegrityError):
        CityFactory(slug="cordoba-ar")


def test_two_cordobas_get_distinct_slugs():
    argentina = CityFactory(
        name="Córdoba", country="AR", slug=city_unique_slug(name="Córdoba", country="AR")
    )
    spain = CityFactory(
        name="Córdoba", country="ES", slug=city_unique_slug(name="Córdoba", country="ES")
    )
    assert (argentina.slug, spain.slug) == ("cordoba-ar", "cordoba-es")


def test_slug_counter_when_a_country_has_two_cities_of_the_same_name():
    CityFactory(name="San José", country="CR", slug=city_unique_slug(name="San José", country="CR"))
    assert city_unique_slug(name="San José", country="CR") == "san-jose-cr-2"


def test_database_rejects_non_positive_population():
    with pytest.raises(IntegrityError):
        CityFactory(population=0)


@pytest.mark.parametrize(
    ("population", "size"),
    [
        (49_999, SizeClass.TOWN),
        (50_000, SizeClass.SMALL),
        (199_999, SizeClass.SMALL),
        (200_000, SizeClass.MEDIUM),
        (500_000, SizeClass.METROPOLITAN),
        (1_500_000, SizeClass.LARGE_METROPOLITAN),
        (None, None),
    ],
)
def test_size_class_follows_oecd_bands(population, size):
    assert City(population=population).size_class == size


def test_of_size_selects_the_cities_in_the_band():
    small = CityFactory(population=99_039)
    CityFactory(population=2_000_000)
    assert list(City.objects.of_size("small")) == [small]


def test_time_zone_must_be_an_iana_name():
    city = CityFactory.build(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as excinfo:
        city.full_clean()
    assert "time_zone" in excinfo.value.message_dict


def test_region_is_taken_from_the_country_when_left_blank():
    city = CityFactory.build(country="IN", region="")
    city.full_clean()
    assert city.region == "south-asia"


def test_a_city_has_at_most_one_primary_contact():
    city = CityFactory()
    CityOfficialFactory(city=city, is_primary_contact=True)
    CityOfficialFactory(city=city, is_primary_contact=False)
    with pytest.raises(IntegrityError):
        CityOfficialFactory(city=city, is_primary_contact=True)


def test_a_user_represents_one_city():
    official = CityOfficialFactory()
    with pytest.raises(IntegrityError):
        CityOfficialFactory(user=official.user)
