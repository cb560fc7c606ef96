"""Bad input against the public forms: applying (for a new and a listed city), an
application's edit, a city's edit, an RSVP, signing up, logging in, a password reset,
and request bodies over the size limits.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.models import OutboundEmail
from cities.models import City
from networks.applications.services import application_approve
from networks.models import Application, Meeting, Rsvp
from tests.factories import CityFactory, UserFactory
from tests.fuzz.harness import (
    FUZZ,
    application_fields,
    check_escaped,
    client_for,
    field,
    form,
    principle_ids,
    problem,
    send,
    stored_values,
)


@pytest.mark.django_db
def test_apply_for_a_new_city_survives_anything(world):
    """...and once approved, the new city's page, the directory and the admin escape it."""
    applicant = UserFactory()
    EmailAddress.objects.create(user=applicant, email=applicant.email, verified=True, primary=True)
    client = client_for(applicant)
    admin = client_for(world["admin"])
    valid = {
        **application_fields(world["network"].pk),
        "city_name": st.text(min_size=1, max_size=30),
        "city_country": "CO",
        "city_region": "latam",
        "city_population": "392930",
        "city_time_zone": "America/Bogota",
        "city_website": "https://www.pasto.gov.co",
        "principles": principle_ids(),
        "fax_number": "",
    }

    @settings(FUZZ, max_examples=220)
    @given(data=form(valid))
    def run(data):
        response = send(client, "post", reverse("apply") + "?new=1", data, "apply (new city)")
        if not (response.status_code == 302 and "/submitted/" in response["Location"]):
            return
        application = Application.objects.latest("pk")
        values = stored_values(data)
        for url in [
            reverse("applications:detail", args=[application.pk]),
            reverse("applications:list"),
        ]:
            check_escaped(client.get(url).content.decode(), values, url)
        change = reverse("admin:networks_application_change", args=[application.pk])
        check_escaped(admin.get(change).content.decode(), values, "admin application")
        emails_before = set(OutboundEmail.objects.values_list("pk", flat=True))
        try:
            application_approve(application=application, reviewer=world["admin"])
        except ValidationError as error:
            problem(f"apply (new city): accepted but cannot be approved ({error}): {data!r}")
            application.delete()
            return
        city = Application.objects.get(pk=application.pk).city
        for url in [city.get_absolute_url(), reverse("directory")]:
            check_escaped(client_for().get(url).content.decode(), values, url)
        change = reverse("admin:cities_city_change", args=[city.pk])
        check_escaped(admin.get(change).content.decode(), values, "admin city")
        for email in OutboundEmail.objects.exclude(pk__in=emails_before):
            check_escaped(email.body_html, values, "approval email")
        # The next case may apply for the same city again, with the same account.
        application.delete()
        city.delete()

    run()


@pytest.mark.django_db
def test_apply_for_a_listed_city_and_search_survive_anything(world):
    client = client_for(world["official"].user)
    listed = CityFactory(name="Ipiales", slug="ipiales-co")
    valid = {**application_fields(world["network"].pk), "principles": principle_ids()}

    @settings(FUZZ, max_examples=100)
    @given(
        data=form(valid),
        query=field(st.sampled_from(["Pasto", "pas", "IPIALES"])),
        city=field(listed.slug),
    )
    def run(data, query, city):
        url = reverse("apply")
        response = send(client, "post", f"{url}?city={listed.slug}", data, "apply (listed city)")
        if response.status_code == 302:
            Application.objects.filter(city=listed).delete()
        search = send(client, "get", url, {"q": query}, "apply (search)")
        check_escaped(search.content.decode(), stored_values({"q": query}), "search")
        # The city to apply for, in the query string and in the body.
        send(client, "get", url, {"city": city}, "apply (city)")
        response = send(client, "post", url, {**data, "city": city}, "apply (posted city)")
        if response.status_code == 302:
            Application.objects.filter(city=listed).delete()

    run()


@pytest.mark.django_db
def test_application_edit_survives_anything(world):
    application = world["application"]
    client = client_for(application.applicant)
    valid = {**application_fields(world["network"].pk), "principles": principle_ids()}
    url = reverse("applications:edit", args=[application.pk])

    @settings(FUZZ, max_examples=80)
    @given(data=form(valid))
    def run(data):
        Application.objects.filter(pk=application.pk).update(status="more-info")
        response = send(client, "post", url, data, "application edit")
        if response.status_code == 302:
            page = client.get(reverse("applications:detail", args=[application.pk]))
            check_escaped(page.content.decode(), stored_values(data), "application page")

    run()


@pytest.mark.django_db
def test_city_edit_survives_anything(world):
    city = world["city"]
    client = client_for(world["official"].user)
    admin = client_for(world["admin"])
    valid = {
        "profile": st.text(max_size=200),
        "website": "https://www.pasto.gov.co",
        "principles": principle_ids(),
        "contact-contact_audience": st.sampled_from(["public", "members", "secretariat"]),
    }

    @settings(FUZZ, max_examples=150)
    @given(data=form(valid))
    def run(data):
        response = send(client, "post", reverse("cities:edit", args=[city.slug]), data, "city edit")
        if response.status_code == 302:
            values = stored_values(data)
            for url in [city.get_absolute_url(), reverse("directory")]:
                check_escaped(client_for().get(url).content.decode(), values, url)
            change = reverse("admin:cities_city_change", args=[city.pk])
            check_escaped(admin.get(change).content.decode(), values, "admin city")

    run()


@pytest.mark.django_db
def test_rsvp_survives_anything(world):
    client = client_for(world["official"].user)
    url = reverse("meetings:detail", args=[world["meeting"].pk])

    @settings(FUZZ, max_examples=80)
    @given(data=form({"answer": st.sampled_from(Rsvp.Answer.values)}))
    def run(data):
        send(client, "post", url, data, "RSVP")
        assert Meeting.objects.get(pk=world["meeting"].pk).status == "scheduled"

    run()


@pytest.mark.django_db
def test_sign_up_log_in_and_password_reset_survive_anything(world):
    valid = {
        "email": st.emails(),
        "password1": "a-long pass phrase 42",
        "password2": "a-long pass phrase 42",
        "website_url": "",
    }

    @settings(FUZZ, max_examples=120)
    @given(
        signup=form(valid),
        login=form({"login": world["official"].user.email, "password": "wrong"}),
        reset=form({"email": st.emails()}),
    )
    def run(signup, login, reset):
        send(client_for(), "post", reverse("account_signup"), signup, "sign-up")
        send(client_for(), "post", reverse("account_login"), login, "log-in")
        send(client_for(), "post", reverse("account_reset_password"), reset, "password reset")

    run()


@pytest.mark.django_db
def test_request_bodies_over_the_size_limits_get_400_and_store_nothing(world):
    client = client_for(world["official"].user)
    url = reverse("cities:edit", args=[world["city"].slug])
    profile = world["city"].profile
    too_big = client.post(url, {"profile": "x" * 3_000_000})  # over 2.5 MB of form data
    too_many = client.post(url, {f"field{n}": "1" for n in range(1500)})  # over 1,000 fields
    assert too_big.status_code == too_many.status_code == 400
    assert City.objects.get(pk=world["city"].pk).profile == profile
