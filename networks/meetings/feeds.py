"""Private calendar feed links: issued, checked and withdrawn (issue #15, section 4).

A link is `/networks/<slug>/calendar.ics?token=<43 random URL-safe characters>`;
the database keeps only the token's SHA-256 (`CalendarFeed`). Asking for a new link
replaces the old one; leaving the network (the city's membership no longer active,
the official removed or moved to another city, a host taken off the network)
deletes the row, so the old link never works again, even after rejoining.
"""

import hashlib
import secrets

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from networks.models import CalendarFeed, Network

TOKEN_BYTES = 32  # 256 bits of randomness: not guessable, not derived from the account


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, user, network: Network) -> str:
    """A new feed token for `user` and `network`; the previous one stops working.

    Returns the token itself (shown once, never stored). The caller checks that the
    user may follow the network (`meeting_views.is_network_member`).
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    CalendarFeed.objects.filter(user=user, network=network).delete()
    CalendarFeed.objects.create(user=user, network=network, token_hash=_hash(token))
    return token


def calendar_feed_user(*, token: str, network: Network):
    """The active account whose live link to `network` is `token`, or None."""
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=_hash(token), network=network, user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed else None


def calendar_feeds_prune(*, users=None, networks=None) -> int:
    """Delete the links (of `users`, to `networks`: ids or objects, None for any) whose
    owner no longer follows the network. Returns how many were deleted."""
    from networks.meetings.views import is_network_member

    feeds = CalendarFeed.objects.select_related("user", "network")
    if users is not None:
        feeds = feeds.filter(user__in=users)
    if networks is not None:
        feeds = feeds.filter(network__in=networks)
    gone = [feed.pk for feed in feeds if not is_network_member(feed.user, feed.network)]
    if gone:
        CalendarFeed.objects.filter(pk__in=gone).delete()
    return len(gone)


def _official_changed(sender, instance, **kwargs):
    # Removed, or moved to another city: the networks of the old city are left.
    calendar_feeds_prune(users=[instance.user_id])


def _membership_changed(sender, instance, **kwargs):
    if kwargs.get("signal") is post_save and instance.status == "active":
        return
    from cities.models import CityOfficial

    officials = CityOfficial.objects.filter(city_id=instance.city_id).values("user_id")
    calendar_feeds_prune(users=officials, networks=[instance.network_id])


def _hosts_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_remove", "post_clear"):
        return
    if reverse:  # user.networks_hosted.remove(...)
        calendar_feeds_prune(users=[instance.pk], networks=pk_set)
    else:
        calendar_feeds_prune(users=pk_set, networks=[instance.pk])


def connect() -> None:
    """Withdraw links whatever made the change: a service, the admin, an import, a revert."""
    from cities.models import CityOfficial
    from networks.models import Membership

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            _official_changed, sender=CityOfficial, dispatch_uid=f"feeds-official-{name}"
        )
        signal.connect(_membership_changed, sender=Membership, dispatch_uid=f"feeds-member-{name}")
    m2m_changed.connect(_hosts_changed, sender=Network.hosts.through, dispatch_uid="feeds-hosts")
