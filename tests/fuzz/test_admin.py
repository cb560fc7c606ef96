"""Bad input against the admin, as staff with a second factor: changelist filters and
search, exports, spreadsheet imports, history pages, autocomplete and bulk actions.
"""

import urllib.parse

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import settings as settings_
from hypothesis import strategies as st

from tests.factories import PartnerFactory, PioneerLinkFactory
from tests.fuzz.harness import (
    FUZZ,
    SENT,
    check_escaped,
    client_for,
    field,
    flat,
    form,
    ids,
    problem,
    send,
    stored_values,
)

# The admin's lists, with the filters and search each offers.
ADMIN_LISTS = {
    "networks/membership": {
        "network__id__exact": "1",
        "role__exact": "member",
        "status__exact": "active",
        "joined_on__gte": "2025-01-01",
    },
    "networks/application": {
        "status__exact": "submitted",
        "network__id__exact": "1",
        "country": "CO",
        "age": "7",
        "submitted_at__year": "2026",
    },
    "networks/meeting": {
        "status__exact": "scheduled",
        "network__id__exact": "1",
        "starts_at__year": "2026",
        "starts_at__month": "3",
    },
    "networks/pioneerlink": {
        "network__id__exact": "1",
        "status__exact": "active",
        "focus__exact": "open-data",
    },
    "networks/reminder": {"status__exact": "pending", "meeting__network__id__exact": "1"},
    "networks/pledge": {"status__exact": "confirmed", "kind__exact": "company", "country": "JP"},
    "networks/partnerenquiry": {"status__exact": "new", "kind__exact": "startup"},
    "networks/nomination": {"status__exact": "invited", "call__meeting__network__id__exact": "1"},
    "networks/nominationcall": {},
    "networks/policy": {
        "status__exact": "accepted",
        "kind__exact": "law",
        "country": "JP",
        "policy_language__exact": "ja",
        "is_illustrative__exact": "1",
    },
    "networks/roadmapentry": {"model_policy__exact": "open-data", "status__exact": "adopted"},
    "cities/city": {"region__exact": "latam", "country__exact": "CO"},
    "cities/cityofficial": {"role__exact": "mayor", "is_primary_contact__exact": "1"},
    "alliance/partner": {"tier__exact": "forum", "networks__id__exact": "1"},
    "alliance/outboundemail": {"status__exact": "sent", "created_at__year": "2026"},
    "networks/importjob": {"kind__exact": "cities", "state__exact": "ready"},
}
EXPORTS = [
    "networks/membership",
    "networks/application",
    "networks/meeting",
    "networks/pioneerlink",
    "cities/city",
    "cities/cityofficial",
    "alliance/partner",
]


@pytest.mark.django_db
def test_admin_changelists_and_exports_survive_any_filter(world):
    staff = client_for(world["admin"])
    PioneerLinkFactory(network=world["network"])

    @settings(FUZZ, max_examples=30)
    @given(data=st.data())
    def run(data):
        # Every list in every example: a sampled list would leave some nearly untried.
        for where, filters in ADMIN_LISTS.items():
            valid = {
                **filters,
                "q": st.sampled_from(["Pasto", "pas"]),
                "o": "1",
                "p": "1",
                "e": "1",
                "x": "1",
            }
            query = data.draw(form(valid, always=[]))
            url = f"/admin/{where}/"
            page = send(staff, "get", url, query, f"admin {where}")
            if page.status_code == 200:
                check_escaped(page.content.decode(), stored_values(query), f"admin {where}")
            if where in EXPORTS:
                send(staff, "get", f"{url}export/", query, "admin export form")
                # The export itself is logged (a stored row) when it answers the file.
                export = f"{url}export/?" + urllib.parse.urlencode(
                    [(k, v.encode("utf-8", "surrogatepass")) for k, v in flat(query)]
                )
                send(staff, "post", export, {"format": "0"}, "admin export", success=(200,))

    run()


@pytest.mark.django_db
def test_spreadsheet_imports_survive_any_file_and_any_post(world, settings, tmp_path):
    """Any bytes uploaded as cities or memberships: a job whose page shows the preview or
    why the file was refused; any action posted to it: never a 500 (issue #19)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    from networks.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    staff = client_for(world["admin"])
    header = st.sampled_from([b"slug,name,country,population\n", b"city,network,status\n", b""])
    cell = st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass"))
    line = st.lists(cell, max_size=5).map(lambda cells: b",".join(cells) + b"\n")

    @settings_(FUZZ, max_examples=40)
    @given(
        kind=st.sampled_from(["cities", "memberships", "people"]),
        head=header,
        body=st.one_of(st.binary(max_size=300), st.lists(line, max_size=6).map(b"".join)),
        action=st.sampled_from(["confirm", "cancel", "", "\x00", "x" * 300]),
        valid_only=st.sampled_from(["on", "", "1"]),
    )
    def run(kind, head, body, action, valid_only):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = staff.post(
                reverse("admin:networks_importjob_add"),
                {"kind": kind, "file": SimpleUploadedFile("f.csv", head + body)},
            )
        SENT["import upload"] += 1
        if response.status_code >= 500:
            problem(f"import upload: {response.status_code} for {head + body!r}"[:500])
        job = ImportJob.objects.order_by("-pk").first()
        if response.status_code != 302 or job is None:
            return
        url = reverse("admin:networks_importjob_change", args=[job.pk])
        send(staff, "get", url, {}, "import job page")
        send(staff, "get", url, {"refusals": "csv"}, "import refusals")
        with TestCase.captureOnCommitCallbacks(execute=True):
            data = {"action": action, "valid_only": valid_only}
            send(staff, "post", url, data, "import action", success=(302, 400))
        job.refresh_from_db()
        assert not job.running

    run()


@pytest.mark.django_db
def test_admin_history_pages_survive_any_id(world):
    staff = client_for(world["admin"])
    objects = [
        world["city"],
        world["application"],
        world["meeting"],
        world["city"].memberships.get(),
        PioneerLinkFactory(network=world["network"]),
        PartnerFactory(),
    ]

    @settings(FUZZ, max_examples=80)
    @given(obj=st.sampled_from(objects), data=st.data())
    def run(obj, data):
        versions = list(type(obj).history.filter(id=obj.pk).values_list("history_id", flat=True))
        object_id = data.draw(ids(obj.pk))
        version_id = data.draw(ids(*versions))
        base = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{object_id}/history/"
        page = data.draw(field("1"))
        send(staff, "get", base, {"p": page}, "admin history")
        send(staff, "get", f"{base}{version_id}/", {}, "admin version")

    run()


@pytest.mark.django_db
def test_admin_autocomplete_survives_any_term(world):
    staff = client_for(world["admin"])
    valid = {
        "term": st.sampled_from(["Pas", "an", ""]),
        "app_label": st.sampled_from(["networks", "cities"]),
        "model_name": st.sampled_from(["membership", "pioneerlink", "application", "meeting"]),
        "field_name": st.sampled_from(["city", "network", "pioneer", "mentee", "applicant"]),
        "page": "1",
    }

    @settings(FUZZ, max_examples=100)
    @given(query=form(valid))
    def run(query):
        send(staff, "get", reverse("admin:autocomplete"), query, "admin autocomplete")

    run()


@pytest.mark.django_db
def test_admin_bulk_actions_survive_any_selection(world):
    staff = client_for(world["admin"])
    link = PioneerLinkFactory(network=world["network"])

    @settings(FUZZ, max_examples=40)
    @given(selected=field(str(link.pk)), action=field("delete_selected"))
    def run(selected, action):
        # Without "post": Django asks to confirm, so nothing is deleted.
        send(
            staff,
            "post",
            "/admin/networks/pioneerlink/",
            {"action": action, "_selected_action": selected, "index": "0"},
            "admin action",
            success=(200, 302),
        )

    run()
