"""The supporters' counts the home page and /supporters/ show, kept between changes.

Counted once per change of any pledge (a grouped count on the (status, kind) index),
not on every visit: a save or delete of a pledge, whatever made it (a form, an admin
action, a history revert), forgets the kept figures once its transaction commits.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "figures:supporters"
KEEP_SECONDS = 24 * 3600  # a safety net: every change forgets them anyway


def _count() -> dict:
    from networks.involvement.models import Pledge

    published = Pledge.objects.published().order_by()
    by_kind = dict(published.values_list("kind").annotate(n=Count("id")))
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


def supporters() -> dict:
    """{"total": published pledges, "by_kind": {kind: published pledges}}."""
    kept = cache.get(KEY)
    if kept is None:
        kept = _count()
        cache.set(KEY, kept, KEEP_SECONDS)
    return kept


def forget(**kwargs) -> None:
    """Drop the kept figures when the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: cache.delete(KEY))


def connect() -> None:
    from networks.involvement.models import Pledge

    post_save.connect(forget, sender=Pledge, dispatch_uid="supporters-saved")
    post_delete.connect(forget, sender=Pledge, dispatch_uid="supporters-deleted")
    m2m_changed.connect(forget, sender=Pledge.principles.through, dispatch_uid="supporters-m2m")
