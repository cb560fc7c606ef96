"""Who may open which admin URL: the expectations of the admin's permission matrix, the
URLs of each ModelAdmin, how an answer reads ('ok', 'denied', 'hidden', 'login') and
how each role signs in.
"""

from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin

from alliance.roles import AUDITOR, HOST_PERMISSIONS, NETWORK_HOST, SECRETARIAT
from tests.admin.matrix.objects import _official, _partner_person

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


def registry():
    return {model._meta.label_lower: (model, ma) for model, ma in admin.site._registry.items()}


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
