"""The secretariat's roles, as auth groups.

Superusers are for operators. Everyone else on the staff gets one of these groups;
what a group may do is set up by the `setup_roles` command (issue #6).
"""

from django.utils.translation import gettext_lazy as _

SECRETARIAT = "Secretariat"
NETWORK_HOST = "Network host"
AUDITOR = "Read-only auditor"

GROUP_LABELS = {
    SECRETARIAT: _("Secretariat"),
    NETWORK_HOST: _("Network host"),
    AUDITOR: _("Read-only auditor"),
}


def in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cached on the user object: a request asks this several times.
    names = getattr(user, "_alliance_groups", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._alliance_groups = names
    return name in names


def has_staff_powers(user) -> bool:
    """Whether `user` may use what the staff flag grants, on the public site as in the admin.

    A staff account (or superuser) counts as staff only once it has its second factor
    (an authenticator app, `alliance/staff_mfa.py`); until then its session is an
    ordinary visitor's. Every role check below starts here, so no public page gives a
    half-configured staff session more than the admin would (issue #15, section 2).
    Cached on the user object: a request asks this several times.
    """
    if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
        return False
    cached = getattr(user, "_alliance_staff_powers", None)
    if cached is None:
        from alliance.staff_mfa import has_totp

        cached = user._alliance_staff_powers = has_totp(user)
    return cached


def sees_all_networks(user) -> bool:
    """Superusers, the secretariat and auditors see every network; hosts only theirs."""
    return has_staff_powers(user) and (
        user.is_superuser
        or (user.is_staff and (in_group(user, SECRETARIAT) or in_group(user, AUDITOR)))
    )


# The apps whose data the secretariat works with. Accounts (users, groups, second
# factors, e-mail addresses) and the failed sign-in log stay with the operators.
WORK_APPS = ("alliance", "api", "cities", "networks")
OPERATOR_MODELS = {("alliance", "user"), ("alliance", "loginfailure")}

# What a network host may do, per model; get_queryset() in the admin narrows every
# one of these to the networks they host (networks/access.py).
HOST_PERMISSIONS = {
    ("networks", "network"): ["view"],
    ("networks", "membership"): ["view", "add", "change"],
    ("networks", "membershipstatuschange"): ["view"],
    ("networks", "pioneerlink"): ["view", "add", "change"],
    ("networks", "application"): ["view", "change"],
    ("networks", "applicationevent"): ["view"],
    ("networks", "meeting"): ["view", "add", "change"],
    ("networks", "reminderrule"): ["view", "add", "change", "delete"],
    ("networks", "reminder"): ["view"],
    # Calls for nominations to their networks' meetings, and the decisions on them.
    ("networks", "nominationcall"): ["view", "add", "change"],
    ("networks", "nomination"): ["view", "change"],
    # The roadmap steps of the cities in their scope (networks/policies).
    ("networks", "roadmapentry"): ["view", "add", "change"],
    ("cities", "city"): ["view"],
    ("cities", "cityofficial"): ["view"],
}


def role_permissions(permission_model) -> dict[str, list]:
    """Each group's permissions. Takes the Permission model so a migration can pass its own."""
    work = [
        p
        for p in permission_model.objects.filter(
            content_type__app_label__in=WORK_APPS
        ).select_related("content_type")
        if (p.content_type.app_label, p.content_type.model) not in OPERATOR_MODELS
    ]
    host = [
        p
        for p in work
        if p.codename.split("_", 1)[0]
        in HOST_PERMISSIONS.get((p.content_type.app_label, p.content_type.model), [])
    ]
    return {
        SECRETARIAT: work,
        NETWORK_HOST: host,
        AUDITOR: [p for p in work if p.codename.startswith("view_")],
    }


def roles_setup(*, group_model=None, permission_model=None) -> None:
    """Create the three groups and set their permissions exactly; safe to run again."""
    from django.contrib.auth.models import Group, Permission

    group_model = group_model or Group
    permission_model = permission_model or Permission
    for name, permissions in role_permissions(permission_model).items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(permissions)
