"""A host's admin forms, inline forms, autocomplete and the services behind them: nothing
outside the host's networks is offered, accepted or done (issue #6).
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from alliance.roles import NETWORK_HOST
from cities.models import City
from tests.admin.forms import form_data
from tests.admin.matrix.rules import HOST, HOST_CHANGES, registry
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def host_forms(client, objects):
    """(label, url, form) for each admin form a host may submit, inline forms included."""
    for label in sorted(HOST_CHANGES):
        if label not in registry():
            continue  # reminder rules: only inlines, reached through their meeting
        prefix = "admin:" + label.replace(".", "_")
        urls = [reverse(f"{prefix}_change", args=[objects[label][0].pk])]
        if "add" in HOST[label]:
            urls.append(reverse(f"{prefix}_add"))
        for url in urls:
            context = client.get(url).context
            yield label, url, context["adminform"].form
            for inline in context["inline_admin_formsets"]:
                for form in [*inline.formset.forms, inline.formset.empty_form]:
                    yield label, url, form


def test_host_forms_offer_nothing_outside_the_hosts_networks(client, make_staff, world, outside):
    from django.forms import ModelChoiceField

    a, _b, objects = world
    client.force_login(make_staff(NETWORK_HOST, hosts=[a]))
    checked, wrong = set(), []
    for label, url, form in host_forms(client, objects):
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField) or field.queryset.model not in outside:
                continue
            checked.add(f"{label}.{name}")
            offered = set(field.queryset.values_list("pk", flat=True))
            if any(obj.pk in offered for obj in outside[field.queryset.model]):
                wrong.append(f"{url} {name}")
    assert not wrong, wrong
    # The add forms' own fields were among those checked.
    assert {"networks.membership.city", "networks.pioneerlink.mentee"} <= checked, checked


def test_host_autocomplete_offers_nothing_outside_the_hosts_networks(
    client, make_staff, world, outside
):
    a, _b, _objects = world
    client.force_login(make_staff(NETWORK_HOST, hosts=[a]))
    outside_pks = {(type(obj), str(obj.pk)) for objs in outside.values() for obj in objs}
    asked = 0
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            field = model._meta.get_field(name)
            params = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": name,
                "term": "",
            }
            response = client.get(reverse("admin:autocomplete"), params)
            if response.status_code != 200:
                continue  # refused outright (accounts, for instance)
            asked += 1
            found = {(field.related_model, r["id"]) for r in response.json()["results"]}
            assert not found & outside_pks, f"{model._meta.label_lower}.{name}"
            assert "stranger@example.org" not in response.content.decode()
    assert asked


def test_host_forms_accept_nothing_outside_the_hosts_networks(
    client, make_staff, world, outside, mailoutbox
):
    """A crafted POST with another network's, city's or account's id changes nothing."""
    from django.db import models as db_models

    a, _b, objects = world
    client.force_login(make_staff(NETWORK_HOST, hosts=[a]))
    wrong = []
    for label in sorted(HOST):
        if label == "networks.importjob":
            continue  # its page has no form of fields (tests/imports/test_access.py)
        model, _model_admin = registry()[label]
        obj = objects[label][0]
        url = reverse(f"admin:{label.replace('.', '_')}_change", args=[obj.pk])
        pointing = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, db_models.ForeignKey) and f.related_model in outside
        ]
        for field in pointing:
            for target in outside[field.related_model]:
                data = {**form_data(client.get(url)), field.name: target.pk, "_save": "Save"}
                response = client.post(url, data)
                obj.refresh_from_db()
                if getattr(obj, field.attname) == target.pk:
                    wrong.append(f"{label}.{field.name} = {target}")
                if "stranger@example.org" in response.content.decode():
                    wrong.append(f"{label}.{field.name} shows the account")
    for label, values in {
        "networks.membership": lambda city, net: {"city": city, "network": net},
        "networks.pioneerlink": lambda city, net: {
            "pioneer": objects["cities.city"][0].pk,
            "mentee": city,
            "network": net,
        },
    }.items():
        model, _model_admin = registry()[label]
        url = reverse(f"admin:{label.replace('.', '_')}_add")
        for city in outside[City]:
            before = model.objects.count()
            data = {
                **form_data(client.get(url)),
                **values(city.pk, a.pk),
                "role": "member",
                "status": "pending" if label == "networks.membership" else "active",
            }
            response = client.post(url, data)
            if model.objects.count() != before:
                wrong.append(f"{label} added with {city}")
            elif response.status_code == 200:
                assert response.context["adminform"].form.errors, label
    assert not wrong, wrong


def test_host_services_refuse_objects_outside_the_hosts_networks(
    make_staff, world, outside, mailoutbox
):
    """Whatever a form sent, the services check the acting user's scope themselves."""
    import datetime as dt

    from django.core.exceptions import PermissionDenied

    from networks import services
    from networks.applications import services as applications
    from networks.meetings import services as meetings
    from networks.models import Application, Membership

    a, b, objects = world
    host = make_staff(NETWORK_HOST, hosts=[a])
    theirs = objects["networks.application"][1]
    calls = {
        "approve": lambda: applications.application_approve(application=theirs, reviewer=host),
        "start review": lambda: applications.application_start_review(
            application=theirs, reviewer=host
        ),
        "reject": lambda: applications.application_reject(
            application=theirs, reviewer=host, reason="No."
        ),
        "more info": lambda: applications.application_request_info(
            application=theirs, reviewer=host, message="Why?"
        ),
        "approve own": lambda: applications.application_approve(
            application=ApplicationFactory(network=a, applicant=host), reviewer=host
        ),
        "status of B's": lambda: services.membership_set_status(
            membership=objects["networks.membership"][1], status="suspended", by=host
        ),
        "activate pending": lambda: services.membership_set_status(
            membership=outside[City][1].memberships.get(network=a), status="active", by=host
        ),
        "create in B": lambda: services.membership_create(
            city=objects["cities.city"][0], network=b, role="member", by=host
        ),
        "create active outside": lambda: services.membership_create(
            city=outside[City][0], network=a, role="member", by=host
        ),
        "cancel B's meeting": lambda: meetings.meeting_cancel(
            meeting=objects["networks.meeting"][1], by=host
        ),
        "reschedule B's meeting": lambda: meetings.meeting_reschedule(
            meeting=objects["networks.meeting"][1],
            starts_at=objects["networks.meeting"][1].starts_at + dt.timedelta(days=1),
            by=host,
        ),
        "answer for a city outside": lambda: meetings.rsvp_answer(
            meeting=objects["networks.meeting"][0],
            official=objects["cities.cityofficial"][1],
            answer="attending",
        ),
        "schedule in B": lambda: meetings.meeting_schedule(
            meeting=type(objects["networks.meeting"][1])(
                network=b, title="Hi", starts_at=objects["networks.meeting"][1].starts_at
            ),
            by=host,
        ),
    }
    statuses = lambda: (  # noqa: E731
        list(Application.objects.values_list("status", flat=True).order_by("pk")),
        list(Membership.objects.values_list("status", flat=True).order_by("pk")),
    )
    before, meetings_before = (
        statuses(),
        list(type(objects["networks.meeting"][1]).objects.values()),
    )
    let_through = []
    for name, call in calls.items():
        try:
            call()
        except PermissionDenied:
            continue
        let_through.append(name)
    assert not let_through
    applications_now, memberships_now = statuses()
    assert memberships_now == before[1]
    assert applications_now[: len(before[0])] == before[0]
    assert list(type(objects["networks.meeting"][1]).objects.values()) == meetings_before
    # The same services still work inside the host's scope.
    applications.application_start_review(
        application=objects["networks.application"][0], reviewer=host
    )
    services.membership_set_status(
        membership=objects["networks.membership"][0], status="suspended", by=host
    )
