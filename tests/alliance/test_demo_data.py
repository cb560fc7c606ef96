import pytest
from django.core.management import call_command

from alliance.models import FaqEntry, Partner
from cities.models import City
from networks.models import Membership, Network, PioneerLink

pytestmark = pytest.mark.django_db

MODELS = [Network, City, Membership, PioneerLink, Partner, FaqEntry]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_adds_nothing_the_second_time():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert first == {
        "Network": 4,
        # 17 founding members, 10 other named pioneers, Mumbai and Tokyo as hosts.
        "City": 27,
        # 17 founding memberships and 19 pioneer memberships of the global alliance.
        "Membership": 36,
        "PioneerLink": 7,
        "Partner": 21,
        "FaqEntry": 8,
    }


def test_a_second_load_keeps_what_the_secretariat_edited(demo_data):
    network = Network.objects.get(slug="india")
    network.description = "Edited by the secretariat"
    network.save()
    kohima = Membership.objects.get(city__slug="kohima-in", network=network)
    kohima.status = Membership.Status.SUSPENDED
    kohima.save()

    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    network.refresh_from_db()
    kohima.refresh_from_db()
    assert network.description == "Edited by the secretariat"
    assert kohima.status == Membership.Status.SUSPENDED


def test_cities_carry_real_gazetteer_data(demo_data):
    kohima = City.objects.get(slug="kohima-in")
    assert kohima.country.code == "IN"
    assert kohima.region == "south-asia"
    assert kohima.time_zone == "Asia/Kolkata"
    assert 50_000 < kohima.population < 200_000
    assert 25 < kohima.latitude < 26
    cordoba = City.objects.get(slug="cordoba-ar")
    assert cordoba.time_zone == "America/Argentina/Cordoba"


def test_founding_members_and_pioneers_have_their_roles(demo_data):
    latam = Network.objects.get(slug="latin-america")
    founders = set(
        latam.memberships.filter(role="founding", status="active").values_list(
            "city__name", flat=True
        )
    )
    assert founders == {"Bogotá", "Brasília", "Buenos Aires", "Córdoba", "Medellín", "Mexico City"}
    pioneers = Membership.objects.filter(network__slug="global-alliance", role="pioneer")
    assert pioneers.count() == 19
    assert pioneers.filter(city__name="Kaga").exists()
    assert latam.host_city.name == "Medellín"
    assert Network.objects.get(slug="india").host_city.name == "Mumbai"


def test_pioneer_links_run_from_a_pioneer_to_a_smaller_city(demo_data):
    for link in PioneerLink.objects.select_related("pioneer", "mentee"):
        assert link.pioneer.memberships.filter(role="pioneer").exists()
        assert link.mentee.population < link.pioneer.population


def _load(today=None):
    from alliance.demo.loader import load_demo_data

    load_demo_data(today=today)


def test_every_network_has_upcoming_meetings_with_reminders_and_no_duplicates_on_reload():
    import datetime

    from django.utils import timezone

    from networks.models import Meeting, Reminder

    today = timezone.localdate()
    _load(today)
    for network in Network.objects.all():
        upcoming = network.meetings.filter(status="scheduled", starts_at__gt=timezone.now())
        assert upcoming.count() == 2, network
        # Dates are relative to the day the data is loaded.
        for meeting in upcoming:
            assert today < meeting.starts_at.date() <= today + datetime.timedelta(days=60)
        # Someone to remind: each network has a demo official, and the ledger has rows.
        assert Reminder.objects.filter(meeting__network=network).exists(), network
    # The workshop has its own reminder rules, the other meeting its network's.
    workshop = Meeting.objects.filter(title__startswith="Policy workshop").first()
    assert set(workshop.reminder_rules.values_list("minutes_before", flat=True)) == {2880, 60}
    assert "Demo data" in workshop.agenda
    meetings, reminders = Meeting.objects.count(), Reminder.objects.count()
    _load(today)
    assert (Meeting.objects.count(), Reminder.objects.count()) == (meetings, reminders)


def test_partners_have_the_kind_and_a_description_of_their_own():
    _load()
    partners = list(Partner.objects.all())
    assert {p.kind for p in partners} == {"company"}  # every partner the seeds name is one
    assert len({p.description for p in partners}) == len(partners)
    hitachi = Partner.objects.get(name="Hitachi")
    assert hitachi.tier == "founding" and "C4IR Japan" in hitachi.description
    arup = Partner.objects.get(name="Arup")
    assert arup.tier == "forum" and "Engineering" in arup.description


def test_a_reload_rewrites_the_old_repeated_partner_sentence_but_not_an_edited_one():
    _load()
    Partner.objects.filter(name="Nokia").update(
        description="A World Economic Forum partner that contributes to the Alliance’s work."
    )
    Partner.objects.filter(name="Arup").update(description="Edited by the secretariat")
    _load()
    assert "Telecommunications" in Partner.objects.get(name="Nokia").description
    assert Partner.objects.get(name="Arup").description == "Edited by the secretariat"


def test_founding_members_say_plainly_that_their_date_is_not_recorded(client):
    _load()
    # The network page names its founding members without dates (a bounded preview);
    # its newest-members table lists only dated memberships.
    page = client.get("/networks/latin-america/").content.decode()
    assert ">Not recorded<" not in page
    city_page = client.get("/cities/kaga-jp/").content.decode()
    assert "Founding member (date not recorded)" in city_page
    # The pioneers' date is the announcement's month, which the Alliance made public.
    assert "November 2020" in city_page


def test_demo_policies_and_roadmap_are_illustrative_and_loaded_once(client):
    from networks.policies.models import Policy, RoadmapEntry

    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = (Policy.objects.count(), RoadmapEntry.objects.count())
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Policy.objects.count(), RoadmapEntry.objects.count()) == first
    assert first[0] == 3 and first[1] > 17 * 2
    assert not Policy.objects.filter(is_illustrative=False).exists()
    assert not RoadmapEntry.objects.filter(is_illustrative=False).exists()
    # Only founding members have a roadmap, each with at least one step.
    founding = Membership.objects.filter(role=Membership.Role.FOUNDING).values("city")
    assert set(RoadmapEntry.objects.values_list("city", flat=True)) == {
        row["city"] for row in founding
    }
    library = client.get("/policies/").content.decode()
    assert library.count("(demo)") == 3 and "illustrative example" in library
    roadmap = client.get("/roadmap/").content.decode()
    assert "cities adopted it" in roadmap
