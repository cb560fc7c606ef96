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

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from alliance import roles
from alliance.roles import sees_all_networks
from cities.models import City, CityOfficial
from networks.applications.models import Application
from networks.models import ImportJob, Membership, Network


def managed_networks(user) -> QuerySet:
    """The networks `user` looks after (every network for the secretariat)."""
    return Network.objects.managed_by(user)


def managed_cities(user) -> QuerySet:
    """Cities with an active membership of a network `user` manages (all for the secretariat)."""
    if sees_all_networks(user):
        return City.objects.all()
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
    if refused or membership.status != Membership.Status.ACTIVE:
        return refused
    if (
        membership.pk
        and Membership.objects.filter(
            pk=membership.pk,
            status=Membership.Status.ACTIVE,
            city_id=membership.city_id,
            network_id=membership.network_id,
        ).exists()
    ):
        return None
    if managed_cities(user).filter(pk=membership.city_id).exists():
        return None
    if Application.objects.filter(
        city_id=membership.city_id,
        network_id=membership.network_id,
        status=Application.Status.APPROVED,
    ).exists():
        return None
    return new_active_refusal()


def new_active_refusal() -> str:
    """Why a host may not make this city an active member (membership_error's rule)."""
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


# --- The admin: what a field may offer, and what a save may store ---------------------


def scoped_choices(user, model):
    """What a field pointing at `model` may offer `user`; None when it is not scoped.

    Accounts are never offered to a host: a choice would show another account's name
    and email, and the admin's user autocomplete is for operators only.
    """
    if sees_all_networks(user):
        return None
    if model is Network:
        return Network.objects.managed_by(user)
    if model is City:
        return managed_cities(user)
    if model is get_user_model():
        return model.objects.none()
    return None


def scope_error(user, obj) -> str | None:
    """The name of the first field of `obj` (new values, not yet saved) that points
    outside `user`'s scope, or None.

    Every field pointing at a network, city or account must be in the user's scope,
    or keep the value stored in the database (a host may edit a row that points at
    something outside its scope, e.g. a pending membership, without changing that).
    """
    if sees_all_networks(user):
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    for field in obj._meta.concrete_fields:
        choices = scoped_choices(user, field.related_model) if field.many_to_one else None
        value = getattr(obj, field.attname)
        if choices is None or value is None:
            continue
        if stored is not None and getattr(stored, field.attname) == value:
            continue
        if not choices.filter(pk=value).exists():
            return str(field.verbose_name)
    return None


# --- Spreadsheet imports (networks.imports) -------------------------------------------


def import_error(user, kind: str) -> str | None:
    """Why `user` may not upload an import of `kind` ("cities" or "memberships"), or None.

    Cities are the secretariat's (every network sees them); memberships also a host's,
    for its own networks only, which the import checks row by row (issue #19). Auditors
    change nothing.
    """
    if not roles.has_staff_powers(user) or _read_only(user):
        return _("Only the secretariat and network hosts import spreadsheets.")
    if sees_all_networks(user):
        return None
    if kind == "memberships" and managed_networks(user).exists():
        return None
    return _("Only the secretariat imports cities.")


def import_jobs(user) -> QuerySet:
    """The imports `user` may see: every one for the secretariat and auditors; for a
    host, its own uploads and those scoped only to networks it hosts (a co-host of one
    of an uploader's networks must not see the rows for the others, issue #19)."""
    if sees_all_networks(user):
        return ImportJob.objects.all()
    if not roles.has_staff_powers(user):
        return ImportJob.objects.none()
    managed = managed_networks(user)
    beyond = ImportJob.networks.through.objects.exclude(network__in=managed)
    shared = Q(networks__in=managed) & ~Q(pk__in=beyond.values("importjob_id"))
    mine = Q(created_by=user) | shared
    return ImportJob.objects.filter(pk__in=ImportJob.objects.filter(mine).values("pk"))


# --- City pages: whose contacts a visitor sees, who edits a profile ------------------


def manages_city(user, city: City) -> bool:
    """Staff who look after a network the city is an *active* member of; the secretariat
    for every city.

    Not a pending or lapsed membership, nor an application: a host can create those
    itself, and its reach comes only from what the secretariat gave it (issue #15).
    """
    if sees_all_networks(user):
        return True  # the secretariat, also for cities in no network yet
    return city.memberships.active().filter(network__in=managed_networks(user)).exists()


def manages_any_network(user) -> bool:
    return sees_all_networks(user) or managed_networks(user).exists()


def contact_audiences(user, city: City) -> list[str]:
    """Whose contact details `user` may see on `city`'s page, by the audience each chose."""
    audiences = [CityOfficial.Audience.PUBLIC]
    if user.is_authenticated and (
        CityOfficial.objects.filter(user=user).exists()
        or hasattr(user, "partner_membership")
        or manages_any_network(user)
    ):
        audiences.append(CityOfficial.Audience.MEMBERS)
    if manages_city(user, city):
        audiences.append(CityOfficial.Audience.SECRETARIAT)
    return audiences


def can_edit_city(user, city: City) -> bool:
    if not user.is_authenticated:
        return False
    if CityOfficial.objects.filter(user=user, city=city).exists():
        return True
    return manages_city(user, city) and not _read_only(user)


def _read_only(user) -> bool:
    """Auditors see every network but change nothing (unless also secretariat)."""
    return (
        not user.is_superuser
        and roles.in_group(user, roles.AUDITOR)
        and not roles.in_group(user, roles.SECRETARIAT)
    )


def get_city_for_editor(user, slug) -> City:
    """The city `user` may edit (its officials, and staff), or 404 for anyone else."""
    city = get_object_or_404(City, slug=slug)
    if can_edit_city(user, city):
        return city
    raise Http404


# --- The directory's export -----------------------------------------------------------


def can_export(user) -> bool:
    """Partner people, and staff who manage at least one network (the secretariat)."""
    return user.is_authenticated and (
        hasattr(user, "partner_membership") or manages_any_network(user)
    )
