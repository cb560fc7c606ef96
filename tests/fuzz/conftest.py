"""The fuzzed site's world: a network, a member city with its official, an application,
a meeting, a superuser with a second factor and a partner's person.
"""

import pytest
from allauth.account.models import EmailAddress

from alliance.models import PartnerPerson
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PartnerFactory,
    UserFactory,
    with_totp,
)


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = NetworkFactory(slug="andes")
    city = CityFactory(name="Pasto", slug="pasto-co")
    MembershipFactory(city=city, network=network, joined_on="2025-01-01")
    official = CityOfficialFactory(city=city)
    EmailAddress.objects.create(
        user=official.user, email=official.user.email, verified=True, primary=True
    )
    application = ApplicationFactory(network=network, applicant=official.user, city=CityFactory())
    # With its second factor: without one every admin page is a redirect to set it up,
    # and staff powers on the public site need it too (issue #15 §2).
    admin = with_totp(UserFactory(is_staff=True, is_superuser=True))
    partner = PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory()).user
    return {
        "network": network,
        "city": city,
        "official": official,
        "application": application,
        "meeting": MeetingFactory(network=network),
        "admin": admin,
        "partner": partner,
    }
