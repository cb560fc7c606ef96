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


def sees_all_networks(user) -> bool:
    """Superusers, the secretariat and auditors see every network; hosts only theirs."""
    return user.is_authenticated and (
        user.is_superuser
        or (user.is_staff and (in_group(user, SECRETARIAT) or in_group(user, AUDITOR)))
    )
