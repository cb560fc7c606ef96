"""The admin matrix's fixtures: one object of each admin for network A and for network B,
and what a host of network A must neither be offered nor get stored.
"""

import pytest

from alliance.models import User
from cities.models import City
from networks.models import Network
from tests.admin.matrix.objects import OBJECTS
from tests.factories import MembershipFactory, NetworkFactory, UserFactory


@pytest.fixture
def world(db):
    a, b = NetworkFactory(name="Network A"), NetworkFactory(name="Network B")
    objects = {label: (make(a), make(b)) for label, make in OBJECTS.items()}
    return a, b, objects


@pytest.fixture
def outside(world):
    """What a host of network A must neither be offered nor get stored, per model."""
    a, b, objects = world
    return {
        Network: [b],
        # B's member city, and a city whose only tie to A is a pending membership.
        City: [objects["cities.city"][1], MembershipFactory(network=a, status="pending").city],
        User: [UserFactory(email="stranger@example.org", first_name="Secret")],
    }
