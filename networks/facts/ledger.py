"""The reminder ledger follows every fact that changes who is reminded of what, and when.

The hooks of this package ask for a sync with `follow(...)`. Outside a batch it is made
at once, in the transaction of the write that asked for it, so the ledger commits or
rolls back with the change. Inside `one_sync()` the requests are collected and each
meeting concerned is synced once, at the end of the block and still inside its
transaction: an admin page with inlines, a bulk action, an import or a set-based
writer syncs each meeting once, however many rows it wrote.
"""

import contextlib
import dataclasses
from collections.abc import Iterable
from contextvars import ContextVar

from django.db import transaction

from networks.meetings.reminders import reminders_sync
from networks.models import Meeting


@dataclasses.dataclass
class _Wanted:
    networks: set = dataclasses.field(default_factory=set)
    cities: set = dataclasses.field(default_factory=set)
    meetings: set = dataclasses.field(default_factory=set)


_batch: ContextVar[_Wanted | None] = ContextVar("ledger_batch", default=None)


def follow(
    *, networks: Iterable[int] = (), cities: Iterable[int] = (), meetings: Iterable[int] = ()
) -> None:
    """Bring the ledger in step after a change.

    `networks`, `cities`: ids whose upcoming meetings are re-planned (members, officials
    or rules changed); `meetings`: ids of meetings re-planned whatever their date (their
    start, status or own rules changed). None values are ignored.
    """
    wanted = _Wanted(
        {n for n in networks if n is not None},
        {c for c in cities if c is not None},
        {m for m in meetings if m is not None},
    )
    batch = _batch.get()
    if batch is None:
        _sync(wanted)
        return
    batch.networks |= wanted.networks
    batch.cities |= wanted.cities
    batch.meetings |= wanted.meetings


@contextlib.contextmanager
def one_sync():
    """Collect the syncs asked for within the block and make each meeting's once, at its
    end, inside the block's transaction (opened here). Nested blocks leave it to the
    outermost one; a block left by an exception syncs nothing (its writes roll back)."""
    if _batch.get() is not None:
        yield
        return
    wanted = _Wanted()
    token = _batch.set(wanted)
    try:
        with transaction.atomic():
            yield
            _batch.reset(token)
            token = None
            _sync(wanted)
    finally:
        if token is not None:
            _batch.reset(token)


def _sync(wanted: _Wanted) -> None:
    ids = set(wanted.meetings)
    upcoming = Meeting.objects.upcoming()
    if wanted.networks:
        ids |= set(upcoming.filter(network__in=wanted.networks).values_list("pk", flat=True))
    if wanted.cities:
        ids |= set(
            upcoming.filter(network__memberships__city__in=wanted.cities).values_list(
                "pk", flat=True
            )
        )
    for meeting in Meeting.objects.filter(pk__in=ids).order_by("pk"):
        reminders_sync(meeting=meeting)
