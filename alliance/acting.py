"""Who is making a change, when and why: read by the domain hooks that record it.

The hooks of networks.facts write a membership's status-change row (who, when, a note)
whatever saved it: a form, an admin inline, an import, a history revert, a command.
They cannot be handed the acting user as an argument by a library that calls
Model.save(), so it travels beside the call: ActingUserMiddleware makes the request's
user the actor of every write of that request, and a service or command states its
own with `acting(by=..., note=..., at=...)`. Outside both (a command, a worker) the
actor is None: the system.
"""

import contextlib
import dataclasses
import datetime
from contextvars import ContextVar

_KEEP = object()


@dataclasses.dataclass(frozen=True)
class Acting:
    """`by`: the acting User or None (the system); `note`: why, "" when not said;
    `at`: the moment the change counts from (aware), None for now; `request`: the
    request whose user acts when `by` is None."""

    by: object = None
    note: str = ""
    at: datetime.datetime | None = None
    request: object = None

    @property
    def user(self):
        """The acting User, or None for the system or an anonymous visitor."""
        if self.by is not None:
            return self.by
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: ContextVar[Acting | None] = ContextVar("acting", default=None)
_SYSTEM = Acting()


def current() -> Acting:
    """Who acts now (an Acting; its `user` is None for the system)."""
    return _current.get() or _SYSTEM


@contextlib.contextmanager
def acting(*, by=_KEEP, note=_KEEP, at=_KEEP):
    """Within the block, writes are made by `by` (a User; None: keep the request's or the
    enclosing block's), for the reason `note`, as of `at`. Arguments left out keep the
    enclosing values."""
    now = current()
    changes = {}
    if by is not _KEEP and by is not None:
        changes["by"] = by
    if note is not _KEEP:
        changes["note"] = str(note)
    if at is not _KEEP:
        changes["at"] = at
    token = _current.set(dataclasses.replace(now, **changes))
    try:
        yield
    finally:
        _current.reset(token)


def ActingUserMiddleware(get_response):
    """Make the request's signed-in user the actor of the writes of that request."""

    def middleware(request):
        token = _current.set(Acting(request=request))
        try:
            return get_response(request)
        finally:
            _current.reset(token)

    return middleware
