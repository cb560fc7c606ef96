"""Bad input against the ways in (issue #17): pledges and /supporters/, a city's pledge,
partner enquiries, nominations and /events/.
"""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.models import OutboundEmail
from networks.models import Nomination, NominationCall, PartnerEnquiry, Pledge
from tests.fuzz.harness import (
    FUZZ,
    check_escaped,
    client_for,
    field,
    form,
    principle_ids,
    problem,
    send,
    stored_values,
)

# The ways in (issue #17): pledges, a city's pledge, enquiries, nominations, /supporters/
# and /events/. A stored row must stay out of every public page until the secretariat
# accepts it, and everything shown later (the admin, emails) is escaped.


@pytest.mark.django_db
def test_pledge_and_supporters_survive_anything(world):
    client = client_for()
    admin = client_for(world["admin"])
    valid = {
        "organisation": st.text(min_size=1, max_size=30),
        "kind": st.sampled_from(["city", "company", "startup", "research"]),
        "country": "CO",
        "website": "https://example.org",
        "contact_name": "Lucía",
        "contact_email": "lucia@example.org",
        "principles": principle_ids(),
        "may_be_listed": "on",
        "consent": "on",
        "fax_number": "",
    }

    @settings(FUZZ, max_examples=150)
    @given(data=form(valid), query=form({"kind": "company", "country": "JP", "page": "1"}, []))
    def run(data, query):
        response = send(client, "post", reverse("involvement:pledge"), data, "pledge")
        values = stored_values(data)
        if response.status_code == 302:
            pledge = Pledge.objects.latest("pk")
            listed = client_for().get(reverse("involvement:supporters")).context["page"]
            if pledge in listed.object_list:
                problem(f"pledge: unconfirmed {pledge.organisation!r} is public")
            change = reverse("admin:networks_pledge_change", args=[pledge.pk])
            check_escaped(admin.get(change).content.decode(), values, "admin pledge")
            pledge.delete()
        page = send(client, "get", reverse("involvement:supporters"), query, "supporters")
        check_escaped(page.content.decode(), stored_values(query), "supporters")

    run()


@pytest.mark.django_db
def test_city_pledge_and_partner_enquiry_survive_anything(world):
    official = client_for(world["official"].user)
    stranger = client_for()
    city_url = reverse("involvement:city_pledge", args=[world["city"].slug])
    enquiry = {
        "organisation": st.text(min_size=1, max_size=30),
        "kind": "company",
        "contact_name": "Ana",
        "contact_email": "ana@example.org",
        "message": st.text(min_size=1, max_size=200),
        "consent": "on",
        "fax_number": "",
    }

    @settings(FUZZ, max_examples=120)
    @given(
        pledge=form({"principles": principle_ids(), "may_be_listed": "on"}),
        data=form(enquiry),
    )
    def run(pledge, data):
        send(official, "post", city_url, pledge, "city pledge")
        Pledge.objects.all().delete()
        response = send(stranger, "post", reverse("involvement:partner"), data, "enquiry")
        if response.status_code == 302:
            for email in OutboundEmail.objects.filter(template="partner-enquiry"):
                check_escaped(email.body_html, stored_values(data), "enquiry email")
            PartnerEnquiry.objects.all().delete()

    run()


@pytest.mark.django_db
def test_nominations_and_events_survive_anything(world):
    import datetime

    from django.utils import timezone

    call = NominationCall.objects.create(
        meeting=world["meeting"],
        summary="Open",
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    client = client_for()
    admin = client_for(world["admin"])
    valid = {
        "is_self": st.sampled_from(["0", "1"]),
        "nominee_name": st.text(min_size=1, max_size=30),
        "nominee_email": "kenji@example.org",
        "organisation": "Kaga",
        "position": "CDO",
        "country": "JP",
        "languages": "ja, en",
        "time_zone": st.sampled_from(["Asia/Tokyo", "UTC", "America/Bogota"]),
        "why": st.text(min_size=1, max_size=100),
        "nominator_name": "Ana",
        "nominator_email": "ana@example.org",
        "nominator_organisation": "C4IR",
        "consent": "on",
        "fax_number": "",
    }
    url = reverse("nominations:nominate", args=[call.pk])

    @settings(FUZZ, max_examples=150)
    @given(data=form(valid), tz=field(st.sampled_from(["Asia/Tokyo", "UTC"])))
    def run(data, tz):
        response = send(client, "post", url, data, "nominate")
        if response.status_code == 302:
            nomination = Nomination.objects.latest("pk")
            change = reverse("admin:networks_nomination_change", args=[nomination.pk])
            check_escaped(admin.get(change).content.decode(), stored_values(data), "admin")
            nomination.delete()
        page = send(client, "get", reverse("nominations:list"), {"tz": tz}, "events")
        check_escaped(page.content.decode(), stored_values({"tz": tz}), "events")
        send(client, "get", url, {"tz": tz}, "nominate (tz)")

    run()
