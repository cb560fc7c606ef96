"""Bad input against the directory's parameters and cursors, its export, the map's filters
and the ids and slugs in public URLs.
"""

import base64
import json

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cities.models import City
from tests.fuzz.harness import (
    FUZZ,
    check_escaped,
    client_for,
    form,
    ids,
    problem,
    send,
    stored_values,
)


def cursor(value, pk) -> str:
    raw = json.dumps([value, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Cursors as the directory writes them, carrying what no database compares.
CURSORS = [
    cursor("\x00", 1),
    cursor("\ud800", 1),
    cursor("Pasto", 2**70),
    cursor(2**70, 1),
    cursor(-(2**70), -1),
    cursor("2026-02-30", 1),
    cursor(None, "abc"),
]

DIRECTORY = {
    "q": st.sampled_from(["Pasto", "pa", "ñ"]),
    "network": st.sampled_from(["andes", "nowhere"]),
    "kind": st.sampled_from(["regional", "global"]),
    "region": st.sampled_from(["latam", "europe"]),
    "country": st.sampled_from(["CO", "XK", "ZZ"]),
    "size": st.sampled_from(["small", "medium", "large"]),
    "role": st.sampled_from(["member", "pioneer"]),
    "principle": st.sampled_from(["equity", "security"]),
    "adopted": st.sampled_from(["open-data", "dig-once"]),
    "joined_since": st.sampled_from(["2024-01-01", "2030-12-31"]),
    "sort": st.sampled_from(["name", "population", "joined"]),
    "after": st.sampled_from(["WyJQYXN0byIsIDFd", "bm90IGpzb24", *CURSORS]),
    "before": st.sampled_from(["WyJQYXN0byIsIDFd", *CURSORS]),
    "last": "1",
}


@pytest.mark.django_db
def test_directory_and_its_export_survive_any_query(world):
    visitor = client_for()
    partner = client_for(world["partner"])

    @settings(FUZZ, max_examples=300)
    @given(query=form(DIRECTORY, always=["q"]))
    def run(query):
        page = send(visitor, "get", reverse("directory"), query, "directory")
        if page.status_code not in (200, 400):
            problem(f"directory: {page.status_code} for {query!r}")
        check_escaped(page.content.decode(), stored_values(query), "directory")

    run()

    @settings(FUZZ, max_examples=60)
    @given(query=form(DIRECTORY, always=["q"]))
    def export(query):
        send(
            partner,
            "post",
            reverse("directory_export"),
            query,
            "directory export",
            # The export is a POST that answers the file itself (and logs it).
            success=(200, 302),
        )

    export()


MAP = {
    "network": st.sampled_from(["andes", "nowhere"]),
    "region": st.sampled_from(["latam", "europe", "south-asia"]),
}


@pytest.mark.django_db
def test_map_survives_any_query(world):
    """/map/'s filters (issue #18): a 200 or a 400 with the reason, never markup."""
    City.objects.filter(pk=world["city"].pk).update(latitude=1.21, longitude=-77.28)
    visitor = client_for()

    @settings(FUZZ, max_examples=120)
    @given(query=form(MAP, always=[]))
    def run(query):
        page = send(visitor, "get", reverse("map"), query, "map")
        if page.status_code not in (200, 400):
            problem(f"map: {page.status_code} for {query!r}")
        check_escaped(page.content.decode(), stored_values(query), "map")

    run()


@pytest.mark.django_db
def test_ids_in_public_urls_survive_anything(world):
    client = client_for(world["official"].user)
    application, meeting = world["application"], world["meeting"]

    @settings(FUZZ, max_examples=60)
    @given(pk=ids(application.pk, meeting.pk), slug=ids("pasto-co", "andes"))
    def run(pk, slug):
        for url in [
            f"/applications/{pk}/",
            f"/applications/{pk}/edit/",
            f"/meetings/{pk}/",
            f"/meetings/{pk}.ics",
            f"/cities/{slug}/",
            f"/networks/{slug}/",
            f"/networks/{slug}/calendar.ics",
        ]:
            send(client, "get", url, {"token": pk}, "public ids")

    run()
