"""Pledges: the public form, the emailed confirmation, the secretariat's decision,
/supporters/ and the home page's total, a city's pledge from its page."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliance.roles import NETWORK_HOST, SECRETARIAT
from cities.models import Principle
from networks.involvement import services
from networks.involvement.models import Pledge
from tests.factories import CityFactory, CityOfficialFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def pledge_data(**changes):
    data = {
        "organisation": "Fundación Datos Abiertos",
        "kind": "civil-society",
        "country": "CO",
        "website": "https://datos.example.org",
        "contact_name": "Lucía Pérez",
        "contact_email": "lucia@datos.example.org",
        "principles": [str(pk) for pk in Principle.objects.values_list("pk", flat=True)[:2]],
        "may_be_listed": "on",
        "consent": "on",
        "fax_number": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, django_capture_on_commit_callbacks, url=None, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url or reverse("involvement:pledge"), pledge_data(**changes))


def test_it_stores_an_unconfirmed_pledge_and_mails_a_link_in_the_visitors_language(
    client, django_capture_on_commit_callbacks, mailoutbox, link_in
):
    response = submit(client, django_capture_on_commit_callbacks, url="/es/get-involved/pledge/")
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.status == "unconfirmed" and pledge.language == "es"
    assert pledge.principles.count() == 2
    (message,) = mailoutbox
    assert message.to == ["lucia@datos.example.org"]
    assert "Confirme" in message.subject or "confirm" in message.subject.lower()
    assert link_in(message, "/confirm/").startswith("/es/get-involved/pledge/confirm/")
    # Nothing public yet.
    assert "Fundación Datos Abiertos" not in client.get(reverse("involvement:supporters")).text


def test_confirming_twice_is_harmless_and_publishing_lists_it(
    client, django_capture_on_commit_callbacks, mailoutbox, link_in, make_staff
):
    submit(client, django_capture_on_commit_callbacks)
    url = link_in(mailoutbox[0], "/confirm/")
    page = client.get(url)
    assert page.status_code == 200 and Pledge.objects.get().status == "unconfirmed"  # GET asks
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.status == "confirmed"
    assert pledge.history.filter(status="confirmed").count() == 1
    assert "Fundación" not in client.get(reverse("involvement:supporters")).text

    services.pledges_publish(pledges=[pledge], by=make_staff(SECRETARIAT))
    page = client.get(reverse("involvement:supporters"))
    assert "Fundación Datos Abiertos" in page.text
    assert "lucia@datos.example.org" not in page.text  # the contact is never public
    assert client.post(url).status_code == 302
    assert Pledge.objects.get().status == "published"  # a late confirmation changes nothing


def test_an_expired_or_forged_link_confirms_nothing(
    client, django_capture_on_commit_callbacks, mailoutbox, link_in
):
    submit(client, django_capture_on_commit_callbacks)
    url = link_in(mailoutbox[0], "/confirm/")
    forged = client.post(url[:-3] + "xx/")
    assert forged.status_code == 404
    assert "This link does not work" in forged.text and "Pledge again" in forged.text
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert client.post(url).status_code == 404
    assert Pledge.objects.get().status == "unconfirmed"


def test_an_unconfirmed_pledge_cannot_be_published(make_staff):
    pledge = Pledge.objects.create(
        organisation="X", kind="company", country="JP", contact_name="A", contact_email="a@x.jp"
    )
    assert services.pledges_publish(pledges=[pledge], by=make_staff(SECRETARIAT)) == 0
    assert Pledge.objects.get().status == "unconfirmed"


def test_only_the_secretariat_decides(make_staff):
    from django.core.exceptions import PermissionDenied

    pledge = Pledge.objects.create(
        organisation="X",
        kind="company",
        country="JP",
        contact_name="A",
        contact_email="a@x.jp",
        status="confirmed",
    )
    with pytest.raises(PermissionDenied):
        services.pledges_publish(pledges=[pledge], by=make_staff(NETWORK_HOST))
    assert Pledge.objects.get().status == "confirmed"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"organisation": "x" * 201}, "organisation"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"principles": None}, "principles"),
        ({"kind": "pirate"}, "kind"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"consent": None}, "consent"),
    ],
)
def test_bad_input_gets_field_errors_keeps_what_was_typed_and_stores_nothing(
    client, changes, field, mailoutbox
):
    response = client.post(reverse("involvement:pledge"), pledge_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Lucía Pérez" in response.text
    assert not Pledge.objects.exists() and not mailoutbox


def test_the_honeypot_and_the_rate_limits_refuse_without_storing(client, settings):
    assert (
        client.post(reverse("involvement:pledge"), pledge_data(fax_number="x")).status_code == 400
    )
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "pledge_email": "1/h/key"}
    assert client.post(reverse("involvement:pledge"), pledge_data()).status_code == 302
    again = client.post(reverse("involvement:pledge"), pledge_data(organisation="Other"))
    assert again.status_code == 429
    assert Pledge.objects.count() == 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "pledge": "1/h/ip"}
    from django.core.cache import cache

    cache.clear()
    assert client.post(reverse("involvement:pledge"), pledge_data()).status_code == 302
    other = pledge_data(contact_email="b@example.org")
    assert client.post(reverse("involvement:pledge"), other).status_code == 429
    assert Pledge.objects.count() == 2


def published(**fields):
    pledge = Pledge.objects.create(
        **{
            "contact_name": "A",
            "contact_email": "a@example.org",
            "status": "published",
            "may_be_listed": True,
            **fields,
        }
    )
    pledge.principles.set(Principle.objects.all())
    return pledge


def test_supporters_filter_by_kind_and_country_and_count_per_kind(client):
    published(organisation="Hitachi Demo", kind="company", country="JP")
    published(organisation="Civic Lab", kind="civil-society", country="CO")
    published(organisation="Unnamed Co", kind="company", country="JP", may_be_listed=False)
    published(organisation="Declined Co", kind="company", country="JP", status="declined")
    page = client.get(reverse("involvement:supporters"), {"kind": "company", "country": "JP"})
    assert page.status_code == 200
    assert "Hitachi Demo" in page.text
    assert "Civic Lab" not in page.text and "Unnamed Co" not in page.text
    assert "Declined Co" not in page.text
    assert dict(page.context["kinds"])["Company"] == 2  # counted, one of them unnamed
    assert page.context["total"] == 3
    assert client.get(reverse("involvement:supporters"), {"kind": "pirate"}).status_code == 400


def test_the_home_page_total_is_kept_and_follows_every_change(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks, make_staff
):
    with django_capture_on_commit_callbacks(execute=True):
        pledge = published(organisation="A", kind="company", country="JP")
    assert client.get(reverse("home")).context["supporter_count"] == 1
    from networks.involvement import figures

    with django_assert_max_num_queries(0):
        figures.supporters()  # kept: no query per visit
    with django_capture_on_commit_callbacks(execute=True):
        services.pledges_decline(pledges=[pledge], by=make_staff(SECRETARIAT))
    assert client.get(reverse("home")).context["supporter_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        pledge.delete()
        published(organisation="B", kind="research", country="IN")
    assert client.get(reverse("home")).context["supporter_count"] == 1


def test_the_supporters_page_costs_the_same_with_more_supporters(
    client, django_assert_max_num_queries
):
    for n in range(30):
        published(organisation=f"Org {n}", kind="company", country="JP")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("involvement:supporters")).status_code == 200


def test_an_official_pledges_for_their_city_and_its_principles_follow(client):
    official = CityOfficialFactory()
    MembershipFactory(city=official.city)
    client.force_login(official.user)
    page = client.get(official.city.get_absolute_url())
    url = reverse("involvement:city_pledge", args=[official.city.slug])
    assert url in page.text
    chosen = list(Principle.objects.all()[:3])
    response = client.post(url, {"principles": [p.pk for p in chosen], "may_be_listed": "on"})
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.kind, pledge.city, pledge.status) == ("city", official.city, "confirmed")
    assert set(official.city.principles.all()) >= set(chosen)


def test_only_the_citys_officials_may_pledge_for_it(client):
    city = CityFactory()
    other = CityOfficialFactory()
    client.force_login(other.user)
    url = reverse("involvement:city_pledge", args=[city.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"principles": [Principle.objects.first().pk]}).status_code == 404
    assert url not in client.get(city.get_absolute_url()).text
    assert not Pledge.objects.exists()
