"""The directory's copies and caches follow every change to its data.

Membership saves and deletes keep the city's member_since, is_member and member_facts
(whatever made them: a service, the admin, an import, a history revert); switching a
network on or off, or changing its kind, keeps its cities' copies; and any change to
cities, memberships, networks or principles starts a new version of the cached counts,
results and options; so does a change to pioneer links, which the network pages count
(networks/figures.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from alliance import data_version
from cities.models import City, Principle
from networks import services
from networks.models import Membership, Network, PioneerLink


def _changed(sender, **kwargs):
    data_version.changed()


def _stored(instance, field: str):
    """The value of `field` in the database before this save (None for a new row)."""
    if instance.pk is None:
        return None
    rows = type(instance).objects.filter(pk=instance.pk)
    return rows.values_list(field, flat=True).first()


def _membership_before_save(sender, instance, **kwargs):
    # A membership moved to another city (in the admin) leaves the old one to refresh.
    instance._old_city_id = _stored(instance, "city_id")


def _membership_changed(sender, instance, **kwargs):
    try:
        city = instance.city
    except City.DoesNotExist:  # deleted along with its city
        pass
    else:
        services.city_refresh_membership(city)
    old = getattr(instance, "_old_city_id", None)
    if old is not None and old != instance.city_id:
        for city in City.objects.filter(pk=old):
            services.city_refresh_membership(city)
    data_version.changed()


def _network_before_save(sender, instance, **kwargs):
    # What its cities' copies depend on: whether it counts at all, and its kind (the
    # directory's kind filter, networks.directory_facts).
    stored = Network.objects.filter(pk=instance.pk) if instance.pk is not None else None
    instance._was = stored.values_list("is_active", "kind").first() if stored else None


def _network_saved(sender, instance, created, **kwargs):
    was = getattr(instance, "_was", None)
    if not created and was is not None and was != (instance.is_active, instance.kind):
        services.network_refresh_members(instance)
    data_version.changed()


def connect() -> None:
    for model in (City, Principle, PioneerLink):
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"directory-del-{model.__name__}")
    pre_save.connect(
        _membership_before_save, sender=Membership, dispatch_uid="directory-membership-pre"
    )
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="directory-membership")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="directory-del-membership"
    )
    pre_save.connect(_network_before_save, sender=Network, dispatch_uid="directory-network-pre")
    post_save.connect(_network_saved, sender=Network, dispatch_uid="directory-network")
    post_delete.connect(_changed, sender=Network, dispatch_uid="directory-del-network")
    m2m_changed.connect(_changed, sender=City.principles.through, dispatch_uid="directory-pledges")
