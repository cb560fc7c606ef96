"""History pages render whatever old versions point at, even rows deleted since."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from alliance.admin_history import HistoryAdmin
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    MeetingFactory,
    MembershipFactory,
    PartnerFactory,
    PioneerLinkFactory,
)

pytestmark = pytest.mark.django_db


def _pledge():
    from networks.models import Pledge

    return Pledge.objects.create(
        organisation="Org", kind="company", country="JP", contact_name="A", contact_email="a@x.jp"
    )


def _enquiry():
    from networks.models import PartnerEnquiry

    return PartnerEnquiry.objects.create(
        organisation="Org", kind="company", contact_name="A", contact_email="a@x.jp", message="Hi"
    )


def _call():
    import datetime

    from networks.models import NominationCall

    return NominationCall.objects.create(
        meeting=MeetingFactory(),
        summary="Open",
        deadline=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )


def _nomination():
    from networks.models import Nomination

    return Nomination.objects.create(
        call=_call(),
        nominee_name="N",
        nominee_email="n@x.org",
        organisation="O",
        position="P",
        country="JP",
        languages="ja",
        why="x",
    )


def _policy():
    from tests.policies.helpers import accepted

    return accepted(city=CityFactory(), submitted_by=None)


def _roadmap_entry():
    from networks.policies.models import RoadmapEntry

    return RoadmapEntry.objects.create(
        city=CityFactory(), model_policy="open-data", status="adopted", evidence_policy=_policy()
    )


FACTORIES = {
    "cities.city": CityFactory,
    "networks.membership": MembershipFactory,
    "networks.pioneerlink": PioneerLinkFactory,
    "networks.application": ApplicationFactory,
    "networks.meeting": MeetingFactory,
    "alliance.partner": PartnerFactory,
    # The ways in (issue #17).
    "networks.pledge": _pledge,
    "networks.partnerenquiry": _enquiry,
    "networks.nominationcall": _call,
    "networks.nomination": _nomination,
    # The policy library and the roadmap (issue #17).
    "networks.policy": _policy,
    "networks.roadmapentry": _roadmap_entry,
}


def history_urls(obj, version):
    info = obj._meta.app_label, obj._meta.model_name
    return [
        reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
        reverse("admin:{}_{}_simple_history".format(*info), args=[obj.pk, version.history_id]),
    ]


def test_every_model_with_history_has_a_case_here():
    with_history = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, HistoryAdmin)
    }
    assert with_history == set(FACTORIES)


def test_the_history_of_a_pioneer_link_whose_former_mentee_was_deleted(client, staff_user):
    link = PioneerLinkFactory()
    former = link.mentee
    former_id = former.pk
    first = link.history.earliest()
    link.mentee = CityFactory()
    link.save()
    former.delete()  # takes no link with it: the link has another mentee now
    client.force_login(staff_user)
    for url in history_urls(link, first):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"deleted city #{former_id}" in response.content.decode()


@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_history_pages_render_versions_whose_related_rows_are_gone(client, staff_user, label):
    """Every foreign key of every old version pointed at a row that no longer exists."""
    obj = FACTORIES[label]()
    history = type(obj).history
    gone = {
        field.attname: 987654
        for field in history.model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.name not in {"history_user", "history_relation"}
    }
    history.filter(**{obj._meta.pk.attname: obj.pk}).update(**gone)
    client.force_login(staff_user)
    for url in history_urls(obj, history.filter(id=obj.pk).earliest()):
        assert client.get(url).status_code == 200, url


def test_reverting_to_a_version_whose_mentee_is_gone_is_a_form_error(client, staff_user):
    link = PioneerLinkFactory()
    former = link.mentee
    first = link.history.earliest()
    link.mentee = current = CityFactory()
    link.save()
    former.delete()
    client.force_login(staff_user)
    url = history_urls(link, first)[1]
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "mentee" in response.context["adminform"].form.errors
    link.refresh_from_db()
    assert link.mentee == current
