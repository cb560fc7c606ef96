"""What the /apply/ tests post: the form's data for a new or a listed city, and the post.

Imported by the /apply/ tests and by other suites that apply through the form
(name search, cache and broker outages). The tests' `network` fixture is built by
regional_network (`network = pytest.fixture(regional_network, name="network")` in each
module: several modules of this folder have a `network` fixture of their own, so it
cannot live in the folder's conftest).
"""

from django.urls import reverse

from cities.models import Principle
from tests.factories import NetworkFactory

APPLY = reverse("apply")


def regional_network():
    """The network applied to: a regional one, slug "latin-america"."""
    return NetworkFactory(name="Regional Alliance for Latin America", slug="latin-america")


def new_city_data(network, **overrides):
    data = {
        "new": "1",
        "city_name": "Pasto",
        "city_country": "CO",
        "city_region": "latam",
        "city_population": "392930",
        "city_time_zone": "America/Bogota",
        "city_website": "https://www.pasto.gov.co",
        "network": str(network.pk),
        "applicant_name": "Ana Gómez",
        "applicant_position": "Secretaria TIC",
        "applicant_email": "ana@pasto.gov.co",
        "applicant_phone": "+57 2 733 3300",
        "principles": [str(p.pk) for p in Principle.objects.all()[:3]],
        "motivation": "We want to learn how pioneer cities handle open data.",
        "consent": "on",
    }
    data.update(overrides)
    return data


def existing_city_data(network, city, **overrides):
    data = new_city_data(network, **overrides)
    for key in ["new", "city_name", "city_country", "city_region", "city_population"]:
        data.pop(key, None)
    data.pop("city_time_zone")
    data.pop("city_website")
    data["city"] = city.slug
    return data


def post(client, data, url=APPLY):
    return client.post(f"{url}?city={data['city']}" if "city" in data else f"{url}?new=1", data)
