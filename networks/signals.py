"""The directory's copies and caches follow every change to its data.

A membership's save or delete keeps its city's member_since and is_member
(networks.facts.memberships, whatever made it: a service, the admin, an import, a
history revert); switching a network on or off keeps its cities' is_member and its
reminders; and any change to cities, memberships, networks or principles starts a new
version of the cached counts, results and options; so does a change to pioneer links,
which the network pages count (networks/figures.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from cities.models import City, Principle
from networks import services
from networks.directory import query as directory
from networks.facts import ledger
from networks.models import Network, PioneerLink


def _changed(sender, **kwargs):
    directory.data_changed()


def _stored(instance, field: str):
    """The value of `field` in the database before this save (None for a new row)."""
    if instance.pk is None:
        return None
    rows = type(instance).objects.filter(pk=instance.pk)
    return rows.values_list(field, flat=True).first()


def _network_before_save(sender, instance, **kwargs):
    instance._was_active = _stored(instance, "is_active")


def _network_saved(sender, instance, created, **kwargs):
    was = getattr(instance, "_was_active", None)
    if not created and was is not None and was != instance.is_active:
        services.network_refresh_members(instance)
        ledger.follow(networks={instance.pk})  # its members' officials are reminded or not
    directory.data_changed()


def connect() -> None:
    for model in (City, Principle, PioneerLink):
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"directory-del-{model.__name__}")
    pre_save.connect(_network_before_save, sender=Network, dispatch_uid="directory-network-pre")
    post_save.connect(_network_saved, sender=Network, dispatch_uid="directory-network")
    post_delete.connect(_changed, sender=Network, dispatch_uid="directory-del-network")
    m2m_changed.connect(_changed, sender=City.principles.through, dispatch_uid="directory-pledges")
