import pytest
from django.urls import reverse

from alliance.models import FaqEntry, Partner
from networks.models import PioneerLink
from tests.factories import FaqEntryFactory, NetworkFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_presents_the_alliance_its_networks_and_counts(client, demo_data):
    html = page(client, reverse("home"))
    assert "Regional Alliance for Latin America" in html
    assert "National Alliance for India" in html
    assert "Japan National Network" in html
    # 27 cities are loaded; Mumbai and Tokyo only host, so 25 are members.
    assert ">25<" in html.replace(" ", "")
    assert ">21<" in html.replace(" ", "")


def test_network_list_shows_every_active_network(client, demo_data):
    NetworkFactory(name="Dormant network", is_active=False)
    html = page(client, reverse("networks:list"))
    assert "Regional Alliance for Latin America" in html
    assert "Dormant network" not in html


def test_network_page_groups_members_by_role_and_draws_pioneer_links(client, demo_data):
    html = page(client, reverse("networks:detail", args=["india"]))
    assert "Kohima" in html
    assert "Centre for the Fourth Industrial Revolution India" in html
    assert "Mumbai" in html
    assert "Founding member" in html
    link = PioneerLink.objects.get(network__slug="india", mentee__slug="kohima-in")
    assert link.pioneer.name in html


def test_latin_america_page_names_its_host_city(client, demo_data):
    html = page(client, reverse("networks:detail", args=["latin-america"]))
    assert "Medellín" in html
    assert "Córdoba" in html


def test_japan_page_lists_kaga(client, demo_data):
    assert "Kaga" in page(client, reverse("networks:detail", args=["japan"]))


def test_inactive_or_unknown_network_is_404(client, db):
    NetworkFactory(slug="dormant", is_active=False)
    page(client, reverse("networks:detail", args=["dormant"]), status=404)
    page(client, reverse("networks:detail", args=["nowhere"]), status=404)


def test_city_page_shows_profile_networks_and_links(client, demo_data):
    html = page(client, reverse("cities:detail", args=["kohima-in"]))
    assert "Kohima" in html
    assert "National Alliance for India" in html
    assert "Hyderabad" in html  # its mentor in the demo data


def test_unknown_city_is_404(client, db):
    page(client, reverse("cities:detail", args=["atlantis-xx"]), status=404)


def test_partners_page_groups_partners_by_tier(client, demo_data):
    PartnerFactory(name="Hidden partner", is_published=False)
    html = page(client, reverse("partners"))
    assert "Hitachi" in html and "Tata Consultancy Services" in html
    assert html.index(str(Partner.Tier.FOUNDING.label)) < html.index(str(Partner.Tier.FORUM.label))
    assert "Hidden partner" not in html


def test_faq_page_lists_published_questions_in_order(client, demo_data):
    FaqEntryFactory(question="Unpublished question?", is_published=False)
    html = page(client, reverse("faq"))
    questions = list(FaqEntry.objects.published().values_list("question", flat=True))
    assert "Does joining cost anything?" in html
    positions = [html.index(q) for q in questions]
    assert positions == sorted(positions)
    assert "Unpublished question?" not in html


def test_page_text_is_escaped(client, db):
    FaqEntryFactory(question="<script>alert(1)</script>?")
    html = page(client, reverse("faq"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_missing_page_uses_the_site_design(client, db):
    html = page(client, "/no-such-page/", status=404)
    assert 'href="/faq/"' in html  # the site's navigation, not Django's bare page


def test_spanish_prefix_serves_the_same_pages(client, demo_data):
    html = page(client, "/es/networks/latin-america/")
    assert 'lang="es"' in html


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_pages_refuse_writes(client, db, method):
    response = getattr(client, method)(reverse("faq"))
    assert response.status_code == 405


def test_page_queries_do_not_grow_with_members(client, demo_data, django_assert_max_num_queries):
    # The first visit after a change renders the network's sections (12 queries) and
    # its members' map (2: the grid, its lone cities) and its roadmap matrix (2: the
    # first members, their steps); tests/networks/test_pages_at_scale.py holds these
    # bounds at 2,000 members.
    with django_assert_max_num_queries(16):
        page(client, reverse("networks:detail", args=["india"]))
    with django_assert_max_num_queries(3):
        page(client, reverse("networks:detail", args=["india"]))
    with django_assert_max_num_queries(8):
        page(client, reverse("home"))
    with django_assert_max_num_queries(6):
        page(client, reverse("partners"))
