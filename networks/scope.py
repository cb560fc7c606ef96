"""What a staff user may reach, and the checks every write path makes with it (issue #15 §1).

A host's reach comes only from what the secretariat gave it, never from rows the host
can write itself:

- **Networks**: those listing the user as host staff (`Network.hosts`, which only the
  secretariat edits; a host may only view networks). `Network.objects.managed_by`.
- **Cities**: those with an *active* membership of one of those networks
  (`managed_cities`). Only these show a host their officials, secretariat-only
  contacts, history, export rows and public-profile editing.
- A city that has only applied, or whose membership is still pending, suspended or
  lapsed, is *not* in scope: the host sees its application (what the applicant wrote
  to the network) and the membership row itself, not the city's contacts or officials.
- A membership becomes active only through an approved application to that network, or
  for a city already in the user's scope; a host cannot make a city active by itself.
- Nor through an application it can make itself: anyone can apply in a city's name
  (a second account of the host's will do), so a host approves an application for a
  city that already has officials, or belongs to a network the host does not host,
  only when one of its officials applied (`approval_error`); otherwise the
  secretariat decides: the new official would follow all the city's networks.

The secretariat, auditors and superusers (`sees_all_networks`) reach everything.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alliance.roles import sees_all_networks


def managed_networks(user) -> QuerySet:
    return apps.get_model("networks", "Network").objects.managed_by(user)


def managed_cities(user) -> QuerySet:
    """Cities with an active membership of a network `user` manages (all for the secretariat)."""
    City = apps.get_model("cities", "City")
    if sees_all_networks(user):
        return City.objects.all()
    Membership = apps.get_model("networks", "Membership")
    active = Membership.objects.active().filter(network__in=managed_networks(user))
    return City.objects.filter(pk__in=active.values("city_id"))


def network_error(user, network_id) -> str | None:
    """Why `user` may not act on the network with id `network_id`, or None when they may."""
    if managed_networks(user).filter(pk=network_id).exists():
        return None
    return _("This network is not one of yours.")


def check_manages_network(user, network) -> None:
    """Raise PermissionDenied unless `user` manages `network`."""
    refused = network_error(user, network.pk)
    if refused:
        raise PermissionDenied(refused)


def membership_error(user, membership) -> str | None:
    """Why `user` may not store `membership` as it now is, or None when they may.

    `membership` carries the new values (not yet saved). Its network must be one the
    user manages. Making it active is allowed to the secretariat; for a membership that
    is already active; for a city already in the user's scope; and for a city with an
    application to that network that was approved.
    """
    if sees_all_networks(user):
        return None
    refused = network_error(user, membership.network_id)
    if refused or membership.status != "active":
        return refused
    Membership = apps.get_model("networks", "Membership")
    Application = apps.get_model("networks", "Application")
    if (
        membership.pk
        and Membership.objects.filter(
            pk=membership.pk,
            status="active",
            city_id=membership.city_id,
            network_id=membership.network_id,
        ).exists()
    ):
        return None
    if managed_cities(user).filter(pk=membership.city_id).exists():
        return None
    if Application.objects.filter(
        city_id=membership.city_id, network_id=membership.network_id, status="approved"
    ).exists():
        return None
    return _("Only an approved application or the secretariat makes a new city an active member.")


def approval_error(user, application) -> str | None:
    """Why `user` may not approve `application` (as stored), or None when they may.

    Approving makes the applicant an official of the city: it then sees the city's
    contacts, answers invitations for it and follows the meetings of *every* network the
    city is an active member of; and the city becomes an active member, bringing its
    officials and secretariat-only contacts into the reviewer's scope. So unless the
    applicant already is one of the city's officials, a host decides only for a city
    with no officials and no active membership of a network it does not host (a new
    city, or one from the directory that belongs to nothing else); anyone else (a
    stranger, or the host's own second account) is for the secretariat to decide.
    """
    if sees_all_networks(user) or application.city_id is None:
        return None
    CityOfficial = apps.get_model("cities", "CityOfficial")
    Membership = apps.get_model("networks", "Membership")
    officials = CityOfficial.objects.filter(city_id=application.city_id)
    if officials.filter(user_id=application.applicant_id).exists():
        return None
    elsewhere = (
        Membership.objects.active()
        .filter(city_id=application.city_id)
        .exclude(network__in=managed_networks(user))
    )
    if not officials.exists() and not elsewhere.exists():
        return None
    return _(
        "This city already has officials or belongs to networks you do not host, and "
        "the applicant is not one of its officials: the secretariat decides this "
        "application."
    )
