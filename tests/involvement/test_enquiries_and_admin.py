"""Partnership enquiries, the get-involved page and the admin's scoping of the new models."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import FaqEntry
from alliance.roles import NETWORK_HOST
from networks.involvement.models import PartnerEnquiry
from networks.nominations.models import NominationCall
from tests.factories import MeetingFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def enquiry(**changes):
    data = {
        "organisation": "Cities Network International",
        "kind": "civil-society",
        "contact_name": "Ada",
        "contact_email": "ada@example.org",
        "message": "We represent 300 cities.",
        "consent": "on",
        "fax_number": "",
    }
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_an_enquiry_reaches_the_secretariat_and_is_kept(
    client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    page = client.get(reverse("involvement:partner"))
    assert settings.SECRETARIAT_EMAIL in page.text  # the address stays on the page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("involvement:partner"), enquiry())
    assert response.status_code == 302
    assert PartnerEnquiry.objects.get().organisation == "Cities Network International"
    (message,) = mailoutbox
    assert message.to == [settings.SECRETARIAT_EMAIL]
    assert "We represent 300 cities." in message.body and "ada@example.org" in message.body


def test_a_bad_or_trapped_or_repeated_enquiry_stores_nothing(client, settings, mailoutbox):
    too_long = client.post(reverse("involvement:partner"), enquiry(message="x" * 2001))
    assert too_long.status_code == 400 and "message" in too_long.context["form"].errors
    assert "Cities Network International" in too_long.text
    assert client.post(reverse("involvement:partner"), enquiry(fax_number="1")).status_code == 400
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "partner_enquiry": "1/h/ip"}
    client.post(reverse("involvement:partner"), enquiry(message="x" * 2001))  # counts too
    assert client.post(reverse("involvement:partner"), enquiry()).status_code == 429
    assert not PartnerEnquiry.objects.exists() and not mailoutbox


def test_get_involved_presents_the_ways_in_lightest_first_each_with_its_form(client):
    page = client.get(reverse("involvement:get_involved")).text
    page = page[page.index('class="ladder"') :]  # the steps, not the menu
    links = [
        reverse("involvement:pledge"),
        "policy",  # the policy wing's form, or the secretariat's address until it lands
        reverse("nominations:list"),
        reverse("apply"),
        reverse("involvement:partner"),
    ]
    positions = [page.index(f'id="{anchor}"') for anchor in ("pledge", "policy", "events")]
    assert positions == sorted(positions)
    for url in links:
        assert url in page
    assert page.index(reverse("involvement:pledge")) < page.index(reverse("apply"))
    assert page.index(reverse("apply")) < page.index(reverse("involvement:partner"))


def test_home_menu_and_faq_link_to_get_involved(client):
    FaqEntry.objects.create(
        question="How can I join?", answer="Several ways.", link="involvement:get_involved"
    )
    url = reverse("involvement:get_involved")
    home = client.get(reverse("home")).text
    assert home.count(f'href="{url}"') >= 2  # the menu and the page itself
    faq = client.get("/es/faq/").text
    assert 'href="/es/get-involved/"' in faq


def test_a_host_may_open_calls_only_for_its_own_networks_meetings(client, make_staff):
    own, other = NetworkFactory(), NetworkFactory()
    mine, theirs = MeetingFactory(network=own), MeetingFactory(network=other)
    client.force_login(make_staff(NETWORK_HOST, hosts=[own]))
    url = reverse("admin:networks_nominationcall_add")
    offered = client.get(url).context["adminform"].form.fields["meeting"].queryset
    assert list(offered) == [mine]
    deadline = timezone.now() + datetime.timedelta(days=3)
    data = {
        "meeting": theirs.pk,
        "summary_en": "x",
        "deadline_0": deadline.strftime("%Y-%m-%d"),
        "deadline_1": "10:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not NominationCall.objects.exists()
    response = client.post(url, {**data, "meeting": mine.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert NominationCall.objects.get().meeting == mine
