"""Every admin URL, for every kind of visitor.

The ModelAdmins come from `admin.site._registry`, so a new one without an entry in
OBJECTS (tests/admin/matrix/objects.py) fails `test_every_admin_is_in_the_matrix` instead
of escaping.
"""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin

from alliance.roles import AUDITOR, NETWORK_HOST, SECRETARIAT
from tests.admin.matrix.objects import OBJECTS
from tests.admin.matrix.rules import (
    CUSTOM_VIEWS,
    HOST,
    HOST_SCOPED,
    IMPORTS,
    NO_DELETE,
    OPERATOR_ONLY,
    ROLES,
    STANDARD,
    expected,
    outcome,
    registry,
    urls_for,
    visitor,
)
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def test_every_admin_is_in_the_matrix():
    assert set(registry()) == set(OBJECTS)
    for label, (_model, model_admin) in registry().items():
        names = {u.name for u in model_admin.get_urls() if u.name}
        prefix = label.replace(".", "_") + "_"
        standard = {prefix + view for view in STANDARD}
        if isinstance(model_admin, ImportMixin):
            standard |= {prefix + "import", prefix + "process_import"}
        if isinstance(model_admin, ExportMixin):
            standard |= {prefix + "export"}
        extra = {name for name in names if name not in standard}
        extra = {name for name in extra if not name.endswith("simple_history")}
        custom = {url_name for url_name, _method in CUSTOM_VIEWS.get(label, {}).values()}
        assert extra == custom, label
    importing = {label for label, (_m, ma) in registry().items() if isinstance(ma, ImportMixin)}
    assert importing == IMPORTS


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_as_expected(client, make_staff, world, role, mailoutbox):
    a, _b, objects = world
    visitor(role, client, make_staff, a)
    wrong = []
    for label, (obj_a, obj_b) in objects.items():
        for theirs, obj in ((True, obj_a), (False, obj_b)):
            for view, method, url in urls_for(label, obj):
                response = getattr(client, method)(url)
                want, got = expected(role, label, view, theirs), outcome(response)
                if want != got:
                    wrong.append(f"{label} {view} ({'A' if theirs else 'B'}): {want} != {got}")
    assert not wrong, "\n".join(wrong)


def action_choices(client, label):
    response = client.get(reverse(f"admin:{label.replace('.', '_')}_changelist"))
    if response.status_code != 200 or response.context.get("action_form") is None:
        return set()
    return {name for name, _ in response.context["action_form"].fields["action"].choices if name}


@pytest.mark.parametrize("role", ROLES)
def test_actions_are_offered_only_to_those_who_may_change(
    client, make_staff, world, role, mailoutbox
):
    a, _b, objects = world
    visitor(role, client, make_staff, a)
    wrong = []
    for label, (_model, model_admin) in registry().items():
        declared = {*(model_admin.actions or ()), "delete_selected"}
        offered = action_choices(client, label)
        if role == SECRETARIAT and label not in OPERATOR_ONLY:
            want = declared - ({"delete_selected"} if label in NO_DELETE else set())
        elif role == NETWORK_HOST and "change" in HOST.get(label, set()) and label != "cities.city":
            want = declared - {"delete_selected"}
            decided = {"networks.application", "networks.nomination"}  # actions, no add
            want = want if "add" in HOST[label] or label in decided else set()
        else:
            want = set()
        if offered != want:
            wrong.append(f"{label}: offered {sorted(offered)}, expected {sorted(want)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["anonymous", "official", NETWORK_HOST, AUDITOR])
def test_actions_posted_by_hand_change_nothing_they_may_not_touch(
    client, make_staff, world, role, mailoutbox
):
    a, _b, objects = world
    visitor(role, client, make_staff, a)
    for label, (model, model_admin) in registry().items():
        target = objects[label][1]  # network B's, or a global object
        if role == NETWORK_HOST and label not in HOST_SCOPED and label in HOST:
            continue
        before = model_to_dict(target)
        for action in {*(model_admin.actions or ()), "delete_selected"}:
            client.post(
                reverse(f"admin:{label.replace('.', '_')}_changelist"),
                {"action": action, "_selected_action": [target.pk], "index": 0, "post": "yes"},
            )
        assert model.objects.filter(pk=target.pk).exists(), label
        target.refresh_from_db()
        assert model_to_dict(target) == before, label
    assert not mailoutbox


@pytest.mark.parametrize("role", ["superuser", NETWORK_HOST])
def test_no_changelist_makes_a_query_per_row(client, staff_user, make_staff, role):
    """Each changelist costs the same number of queries with twice the rows."""
    user = staff_user if role == "superuser" else make_staff(NETWORK_HOST)
    client.force_login(user)

    def queries_per_changelist():
        a, b = NetworkFactory(), NetworkFactory()
        a.hosts.add(user)  # a host's lists grow too, through its scope
        for make in OBJECTS.values():
            make(a), make(b)
        counts = {}
        for label in registry():
            url = reverse(f"admin:{label.replace('.', '_')}_changelist")
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            if status == 403:
                continue  # not this role's
            assert status == 200, label
            counts[label] = len(captured.captured_queries)
        return counts

    fewer, more = queries_per_changelist(), queries_per_changelist()
    grown = {label: (fewer[label], more[label]) for label in fewer if more[label] > fewer[label]}
    assert not grown, grown
