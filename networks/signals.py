"""The directory's cached counts, results and options follow every change to its data."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from cities.models import City, Principle
from networks import directory
from networks.models import Membership, Network


def _changed(sender, **kwargs):
    directory.data_changed()


def connect() -> None:
    for model in (City, Membership, Network, Principle):
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"directory-del-{model.__name__}")
    m2m_changed.connect(_changed, sender=City.principles.through, dispatch_uid="directory-pledges")
