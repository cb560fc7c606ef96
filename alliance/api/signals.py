"""A change that starts a new version of the directory's data also asks for new
downloads: the same senders as networks/signals.py, after the commit."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from cities.models import City, Principle
from networks.models import Membership, Network, PioneerLink


def _changed(sender, **kwargs):
    from alliance.api.downloads import downloads_request

    transaction.on_commit(downloads_request)


def connect() -> None:
    for model in (City, Principle, PioneerLink, Membership, Network):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"api-downloads-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"api-downloads-del-{name}")
    m2m_changed.connect(_changed, sender=City.principles.through, dispatch_uid="api-downloads-m2m")
