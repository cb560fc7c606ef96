"""Every admin URL, for every kind of visitor.

The ModelAdmins come from `admin.site._registry`, so a new one without an entry in
OBJECTS below fails `test_every_admin_is_in_the_matrix` instead of escaping.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin

from alliance.api.models import ApiToken
from alliance.models import FaqEntry, LoginFailure, OutboundEmail, PartnerPerson, User
from alliance.roles import AUDITOR, HOST_PERMISSIONS, NETWORK_HOST, SECRETARIAT
from cities.models import City
from networks.models import (
    DirectoryExport,
    ImportJob,
    Network,
    Nomination,
    NominationCall,
    PartnerEnquiry,
    Pledge,
    Reminder,
)
from tests.admin.test_host_scope import form_data
from tests.api.conftest import make_token
from tests.factories import (
    ApplicationFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PartnerFactory,
    PioneerLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Accounts and the sign-in log stay with the operators (superusers).
OPERATOR_ONLY = {
    "auth.group",
    "account.emailaddress",
    "mfa.authenticator",
    "alliance.user",
    "alliance.loginfailure",
}
# Logs nobody adds to by hand.
NO_ADD = {
    "api.apitoken",  # made by their owners on their account page
    # What strangers send through the public forms (issue #17).
    "networks.pledge",
    "networks.partnerenquiry",
    "networks.nomination",
    "networks.policy",
    "alliance.outboundemail",
    "alliance.loginfailure",
    "networks.directoryexport",
    "networks.reminder",
}
NO_DELETE = {"networks.directoryexport", "api.apitoken"}  # tokens are revoked, and kept
# What a host of network A may open on network A's objects.
HOST = {
    "networks.network": {"changelist", "change", "history"},
    "networks.membership": {"changelist", "add", "change", "history"},
    "networks.pioneerlink": {"changelist", "add", "change", "history"},
    "networks.application": {"changelist", "change", "history"},
    "networks.meeting": {
        "changelist",
        "add",
        "change",
        "history",
        "resend_failed",
        "test_reminder",
    },
    "networks.reminder": {"changelist", "change", "history"},
    "networks.nominationcall": {"changelist", "add", "change", "history"},
    "networks.nomination": {"changelist", "change", "history"},
    # The roadmap steps of the cities in the host's scope (networks/policies).
    "networks.roadmapentry": {"changelist", "add", "change", "history"},
    "cities.city": {"changelist", "change", "history"},
    "cities.cityofficial": {"changelist", "change", "history"},
    # Imports of memberships of their own networks (networks.access.import_error).
    "networks.importjob": {"changelist", "add", "change", "history"},
}
# Host-visible models whose network B objects a host of A must not reach: all of them
# (a city only through an active membership of one of the host's networks).
HOST_SCOPED = set(HOST)
# Views an admin adds to the standard ones: name -> (URL name, method).
CUSTOM_VIEWS = {
    "networks.meeting": {
        "resend_failed": ("networks_meeting_resend_failed", "post"),
        "test_reminder": ("networks_meeting_test_reminder", "post"),
    },
    "alliance.user": {"password": ("auth_user_password_change", "get")},
    # A submitted policy's PDF, for those who may read the policy (not hosts).
    "networks.policy": {"pdf": ("networks_policy_pdf", "get")},
}
# Custom views that only read: auditors open them too.
READ_ONLY_VIEWS = {("networks.policy", "pdf")}
STANDARD = {"changelist", "add", "change", "delete", "history"}
# What a host may change (alliance.roles.HOST_PERMISSIONS), in its own networks.
HOST_CHANGES = {
    f"{app}.{model}" for (app, model), perms in HOST_PERMISSIONS.items() if "change" in perms
}
# Spreadsheets (django-import-export): who may import, per model; export follows "view".
# Cities and memberships are imported in the background (networks.importjob).
IMPORTS = {"alliance.partner"}


def _official(network):
    official = CityOfficialFactory(phone="+1 555 0100")
    MembershipFactory(network=network, city=official.city)
    return official


def _reminder(network):
    meeting = MeetingFactory(network=network)
    rule = network.reminder_rules.first() or network.reminder_rules.create(minutes_before=60)
    return Reminder.objects.create(
        meeting=meeting,
        recipient=UserFactory(),
        rule=rule,
        meeting_starts_at=meeting.starts_at,
        due_at=meeting.starts_at - datetime.timedelta(hours=1),
    )


def _call(network):
    return NominationCall.objects.create(
        meeting=MeetingFactory(network=network),
        summary="Open",
        deadline=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )


def _policy(network):
    from django.core.files.base import ContentFile

    from networks.policies.models import Policy

    policy = Policy.objects.create(
        title="T",
        kind="law",
        adopter="A",
        country="JP",
        summary="S",
        adopted_on=datetime.date(2020, 1, 1),
        policy_language="ja",
        submitter_name="N",
        submitter_email="n@x.jp",
    )
    policy.pdf.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return policy


def _roadmap_entry(network):
    from networks.policies.models import RoadmapEntry

    # A member city made earlier (cities.city): a new membership now would re-plan the
    # network's reminders and cancel the one made for networks.reminder.
    city = network.memberships.active().earliest("pk").city
    return RoadmapEntry.objects.create(city=city, model_policy="open-data", status="planned")


def _import_job(network):
    """A membership import scoped to `network`, waiting for its confirmation."""
    job = ImportJob.objects.create(
        kind="memberships", created_by=UserFactory(), file="imports/x.csv", state="ready"
    )
    job.networks.add(network)
    return job


def _partner_person(network):
    return PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory())


# label -> how to make one object "of" a network (global objects ignore it).
OBJECTS = {
    "auth.group": lambda n: Group.objects.create(name=f"Group {n.pk}"),
    "account.emailaddress": lambda n: UserFactory().emailaddress_set.create(
        email=f"addr{n.pk}@example.org"
    ),
    "mfa.authenticator": lambda n: (
        __import__("tests.factories").factories.with_totp(UserFactory()).authenticator_set.get()
    ),
    "alliance.user": lambda n: UserFactory(),
    "alliance.partner": lambda n: PartnerFactory(),
    "alliance.faqentry": lambda n: FaqEntry.objects.create(question="Q?", answer="A."),
    "alliance.outboundemail": lambda n: OutboundEmail.objects.create(
        template="test", to="a@example.org", subject="Hello", body_text="Hi"
    ),
    "alliance.partnerperson": _partner_person,
    "alliance.loginfailure": lambda n: LoginFailure.objects.create(identifier="x@example.org"),
    "api.apitoken": lambda n: (
        make_token(UserFactory()) and ApiToken.objects.order_by("-pk").first()
    ),
    "cities.city": lambda n: MembershipFactory(network=n).city,
    "cities.cityofficial": _official,
    "networks.network": lambda n: n,
    "networks.membership": lambda n: MembershipFactory(network=n),
    "networks.pioneerlink": lambda n: PioneerLinkFactory(network=n),
    "networks.directoryexport": lambda n: DirectoryExport.objects.create(user=UserFactory()),
    "networks.importjob": _import_job,
    "networks.application": lambda n: ApplicationFactory(network=n),
    "networks.meeting": lambda n: MeetingFactory(network=n),
    "networks.reminder": _reminder,
    "networks.pledge": lambda n: Pledge.objects.create(
        organisation="Org", kind="company", country="JP", contact_name="A", contact_email="a@x.jp"
    ),
    "networks.partnerenquiry": lambda n: PartnerEnquiry.objects.create(
        organisation="Org", kind="company", contact_name="A", contact_email="a@x.jp", message="Hi"
    ),
    "networks.nominationcall": _call,
    "networks.policy": _policy,
    "networks.roadmapentry": _roadmap_entry,
    "networks.nomination": lambda n: Nomination.objects.create(
        call=_call(n),
        nominee_name="N",
        nominee_email="n@x.org",
        organisation="O",
        position="P",
        country="JP",
        languages="ja",
        why="x",
    ),
}


def registry():
    return {model._meta.label_lower: (model, ma) for model, ma in admin.site._registry.items()}


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


@pytest.fixture
def world(db):
    a, b = NetworkFactory(name="Network A"), NetworkFactory(name="Network B")
    objects = {label: (make(a), make(b)) for label, make in OBJECTS.items()}
    return a, b, objects


def urls_for(label, obj):
    prefix = "admin:" + label.replace(".", "_")
    model_admin = registry()[label][1]
    if isinstance(model_admin, ImportMixin):
        yield "import", "get", reverse(f"{prefix}_import")
        yield "process_import", "post", reverse(f"{prefix}_process_import")
    if isinstance(model_admin, ExportMixin):
        yield "export", "get", reverse(f"{prefix}_export")
    yield "changelist", "get", reverse(f"{prefix}_changelist")
    yield "add", "get", reverse(f"{prefix}_add")
    for view in ("change", "delete", "history"):
        yield view, "get", reverse(f"{prefix}_{view}", args=[obj.pk])
    history = getattr(obj, "history", None)
    if history is not None and history.exists():  # a version and its revert (simple-history)
        url = reverse(f"{prefix}_simple_history", args=[obj.pk, history.earliest().pk])
        yield "history", "get", url
        yield "revert", "post", url
    for view, (url_name, method) in CUSTOM_VIEWS.get(label, {}).items():
        yield view, method, reverse(f"admin:{url_name}", args=[obj.pk])


def expected(role, label, view, theirs):
    """'ok', 'denied' (403), 'hidden' (not found) or 'login'."""
    if role in ("anonymous", "official", "partner"):
        return "login"
    if view == "add" and label in NO_ADD:
        return "denied"
    if view in ("import", "process_import") and role != SECRETARIAT:
        return "denied"  # imports are for those who see every network
    if view == "export":
        view = "changelist"  # whoever sees the list may take it away (and it is logged)
    if view == "revert":  # for those who may change the object
        if role == AUDITOR or (role == NETWORK_HOST and label not in HOST):
            return "denied"
        if role == NETWORK_HOST and not theirs:
            return "hidden"  # not even told that it exists
        if role == NETWORK_HOST and label not in HOST_CHANGES:
            return "denied"
        view = "history"
    if role == SECRETARIAT:
        if label in OPERATOR_ONLY or (view == "delete" and label in NO_DELETE):
            return "denied"
        return "ok"
    if role == AUDITOR:
        if (label, view) in READ_ONLY_VIEWS:
            return "ok"
        if label in OPERATOR_ONLY or view in ("add", "delete", *CUSTOM_VIEWS.get(label, {})):
            return "denied"
        return "ok"
    # Network host of A.
    if view not in HOST.get(label, set()):
        return "denied"
    if not theirs and label in HOST_SCOPED and view not in ("changelist", "add"):
        return "hidden"
    return "ok"


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if "/login/" in location:
            return "login"
        if location == reverse("admin:index"):
            return "hidden"  # Django's admin: "… with ID … doesn't exist"
        return "ok"  # a custom view done, back to the object
    return {200: "ok", 403: "denied", 404: "hidden"}.get(response.status_code, "error")


def visitor(role, client, make_staff, network_a):
    if role == "anonymous":
        return
    if role == "official":
        client.force_login(_official(network_a).user)
    elif role == "partner":
        client.force_login(_partner_person(network_a).user)
    elif role == NETWORK_HOST:
        client.force_login(make_staff(NETWORK_HOST, hosts=[network_a]))
    else:
        client.force_login(make_staff(role))


ROLES = ["anonymous", "official", "partner", NETWORK_HOST, SECRETARIAT, AUDITOR]


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


# --- A host's forms: every field pointing at another object stays in its networks ---


@pytest.fixture
def outside(world):
    """What a host of network A must neither be offered nor get stored, per model."""
    a, b, objects = world
    return {
        Network: [b],
        # B's member city, and a city whose only tie to A is a pending membership.
        City: [objects["cities.city"][1], MembershipFactory(network=a, status="pending").city],
        User: [UserFactory(email="stranger@example.org", first_name="Secret")],
    }


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
