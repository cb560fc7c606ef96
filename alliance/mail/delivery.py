"""The one delivery loop: claim rows, send their messages over one reused connection,
stamp each row's result.

Works on any model with DeliveryState's fields (the outbox, the reminder ledger), with
Django's public mail API only: get_connection(), open(), send_messages(), close().
"""

import datetime
import functools
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connections, router
from django.db.models import F, Model, QuerySet
from django.utils import timezone

from alliance.mail import ratelimit

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

# A claim is a lease (issue #14): the worker sending a batch renews claimed_at of the
# rows it still holds at least every RENEW while it sends, so "sending" with a claimed_at
# older than LEASE means the worker is gone (killed, its machine lost), and
# release_stale() hands the rows out again: about a minute after a crash rather than
# after a fixed period long enough for the longest batch. A live batch is never taken
# over as long as no single message blocks longer than LEASE - RENEW (each SMTP wait is
# bounded by EMAIL_TIMEOUT, each database statement by WORKER_STATEMENT_TIMEOUT_SECONDS).
LEASE = datetime.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
RENEW = min(datetime.timedelta(seconds=5), LEASE / 3)


class PermanentFailure(Exception):
    pass


def is_permanent(exc: Exception) -> bool:
    """True for what retrying cannot fix: the server refused the address (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(60 * 2 ** (attempts - 1), 3600))


def claim(queryset: QuerySet, now: datetime.datetime | None = None) -> list:
    """Move the due, pending rows of `queryset` to "sending" for this worker only.

    One conditional UPDATE is the lock: a row goes from pending to sending with this
    worker's token at most once, whatever other workers do at the same moment.
    """
    now, token = now or timezone.now(), uuid.uuid4()
    pending = queryset.filter(status="pending", next_attempt_at__lte=now)
    pending.update(status="sending", claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    # Read back through `queryset`, so its select_related() applies to the claimed rows.
    return list(queryset.filter(claim_token=token).order_by("pk"))


def release_stale(model: type[Model], older_than: datetime.timedelta | None = None) -> int:
    """Rows whose lease ran out (their worker died mid-batch) become pending again.

    `older_than`: the lease, LEASE unless given. Returns the number of rows released.
    """
    cutoff = timezone.now() - (LEASE if older_than is None else older_than)
    return model.objects.filter(status="sending", claimed_at__lt=cutoff).update(status="pending")


def renew(model: type[Model], token, expected: int) -> set | None:
    """Extend the lease of the rows this claim still holds ("sending" with its token).

    `expected`: how many rows the caller believes it holds. Returns None when it holds
    them all, else the set of primary keys it still holds (the others were released
    and handed to another worker: this one must not send them).
    """
    held = model.objects.filter(claim_token=token, status="sending")
    if held.update(claimed_at=timezone.now()) == expected:
        return None
    return set(held.values_list("pk", flat=True))


def _held(row: Model):
    # Only the claim that sent the row may stamp it, even if it was released meanwhile.
    return type(row).objects.filter(pk=row.pk, claim_token=row.claim_token)


def mark_sent(row: Model) -> None:
    """Stamp a sent row; on PostgreSQL the commit does not wait for the disk.

    With synchronous_commit off for the stamp's transaction only, PostgreSQL answers
    COMMIT once the stamp is in its write-ahead log buffers, before the fsync (which
    its WAL writer does within a fraction of a second: wal_writer_delay). What that can
    lose: the stamp, if the PostgreSQL server itself crashes in that fraction of a
    second. The row then stays "sending", release_stale() hands it out again and the
    recipient gets the message twice: the same at-most-one duplicate as a worker dying
    with the message in flight. A worker killed with SIGKILL loses nothing more than
    before, because the commit had already reached the server when it returned. The
    database stays consistent either way: only the durability of the last moments is
    relaxed. Stamps are still one transaction per message, never batched: a batch
    would lose several stamps to a killed worker, so several duplicates.

    Measured in bench/reminders.py, waiting for the fsync and building the UPDATE
    through the ORM each cost about as much as the UPDATE's round trip; hence one
    plain statement, which also carries the setting (no extra round trip).
    """
    model = type(row)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        _held(row).update(status="sent", sent_at=timezone.now(), last_error="")
        return
    sql = _stamp_sent_sql(model, connection.alias)
    # set_config(..., true) lasts until the end of the transaction: here the UPDATE's
    # own, except inside a caller's transaction, whose commit must stay as it is.
    if not connection.in_atomic_block:
        sql += " AND set_config('synchronous_commit', 'off', true) = 'off'"
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), row.pk, row.claim_token])


@functools.cache
def _stamp_sent_sql(model: type[Model], alias: str) -> str:
    """What _held(row).update(status="sent", ...) runs, as one PostgreSQL statement."""
    quote = connections[alias].ops.quote_name
    column = {name: quote(model._meta.get_field(name).column) for name in STAMP_FIELDS}
    # Identifiers from the model's _meta, quoted; every value is a parameter.
    return (
        f"UPDATE {quote(model._meta.db_table)} "  # noqa: S608
        f"SET {column['status']} = 'sent', {column['sent_at']} = %s, {column['last_error']} = '' "
        f"WHERE {quote(model._meta.pk.column)} = %s "
        f"AND {column['claim_token']} IS NOT DISTINCT FROM %s"
    )


STAMP_FIELDS = ("status", "sent_at", "last_error", "claim_token")


def mark_failed(row: Model, exc: Exception) -> str:
    """Retry later with backoff, or fail for good; returns "retry" or "failed"."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    # Only while this claim holds the row: a row released and sent by another worker
    # meanwhile must not go back to pending.
    rows = _held(row).filter(status="sending")
    permanent = isinstance(exc, PermanentFailure) or is_permanent(exc)
    if permanent or row.attempts >= MAX_ATTEMPTS:
        logger.error("%s %s failed for good: %s", type(row).__name__, row.pk, error)
        rows.update(status="failed", last_error=error)
        return "failed"
    logger.warning("%s %s will be retried: %s", type(row).__name__, row.pk, error)
    rows.update(
        status="pending", last_error=error, next_attempt_at=timezone.now() + backoff(row.attempts)
    )
    return "retry"


def send(rows: Iterable, build: Callable[[Model], EmailMessage]) -> dict[str, int]:
    """The delivery loop: send claimed rows over one reused connection, stamp each.

    `rows`: rows of one claim() (the outbox's or the reminder ledger's); `build(row)`:
    the row's message (alliance.mail.compose.message). Each message gets the header
    that names its row (the model's `delivery_header`: its primary key) and waits for
    its slot under EMAIL_MAX_PER_SECOND (ratelimit); then it is sent with Django's
    connection.send_messages() and the row stamped sent, retry or failed. No database
    transaction is held. Returns the counts of "sent", "retry", "failed", and "lost"
    when rows were released to another worker (this one's lease had run out) before
    this one sent them.
    """
    rows = list(rows)
    result = {"sent": 0, "retry": 0, "failed": 0}
    if not rows:
        return result
    connection = get_connection()
    try:
        connection.open()
    except OSError as exc:
        for row in rows:
            result[mark_failed(row, exc)] += 1
        return result
    lease, limiter = Lease(rows), ratelimit.current()
    try:
        for index, row in enumerate(rows):
            lease.keep(rows[index:])
            try:
                message = build(row)
            except Exception as exc:  # a bug in a template: retrying cannot help
                logger.exception("%s %s could not be built", type(row).__name__, row.pk)
                result[mark_failed(row, PermanentFailure(repr(exc)))] += 1
                continue
            message.extra_headers[row.delivery_header] = str(row.pk)
            if limiter is not None:
                limiter.wait_for_slot(
                    RENEW.total_seconds(), between=lambda index=index: lease.keep(rows[index:])
                )
            if row.pk in lease.lost:
                logger.warning("%s %s was released before it was sent", type(row).__name__, row.pk)
                result["lost"] = result.get("lost", 0) + 1
                continue
            try:
                _send_reconnecting(connection, message)
            except OSError as exc:  # smtplib's errors are OSErrors too
                if _about_this_message(exc):
                    result[mark_failed(row, exc)] += 1
                    continue
                # The connection is gone for good: this and the rest retry later.
                for left in rows[index:]:
                    if left.pk not in lease.lost:
                        result[mark_failed(left, exc)] += 1
                break
            mark_sent(row)
            result["sent"] += 1
    finally:
        connection.close()
    return result


class Lease:
    """The lease of one claim's rows, renewed while its worker sends them."""

    def __init__(self, rows: list):
        # The lease runs from the claim (rows of one claim share its time and token).
        self.model, self.token = type(rows[0]), rows[0].claim_token
        self.renewed = min(row.claimed_at for row in rows)
        self.lost: set = set()  # primary keys released to another worker meanwhile

    def keep(self, left: list) -> None:
        """Renew the lease of the rows `left` to send if RENEW has passed since the last
        renewal; rows found released join `lost` (this worker must not send them)."""
        if timezone.now() - self.renewed < RENEW:
            return
        holding = [row.pk for row in left if row.pk not in self.lost]
        held = renew(self.model, self.token, expected=len(holding))
        self.renewed = timezone.now()
        if held is not None:
            self.lost |= set(holding) - held


def send_now(message: EmailMessage) -> None:
    """Send one message that no row records (the admin's test reminder) at once, in its
    slot under EMAIL_MAX_PER_SECOND. Raises OSError (smtplib's errors) when it fails."""
    limiter = ratelimit.current()
    if limiter is not None:
        limiter.wait_for_slot(RENEW.total_seconds())
    with get_connection() as connection:
        connection.send_messages([message])


def _about_this_message(exc: OSError) -> bool:
    """An SMTP reply about one message (a refusal, a 4xx), not a lost connection."""
    return isinstance(exc, smtplib.SMTPException) and not isinstance(
        exc, smtplib.SMTPServerDisconnected
    )


def _send_reconnecting(connection, message: EmailMessage) -> None:
    """Send over `connection`, reconnecting once if the server had closed it.

    A server closes the connection after a 421 (RFC 5321, 3.8) to one message; the
    next message then finds it gone before a byte of it was sent. Without a new
    connection every remaining row of the batch would wait out a backoff.
    Raises what smtplib raises when the second connection fails too.
    """
    try:
        connection.send_messages([message])
    except smtplib.SMTPServerDisconnected:
        connection.close()
        connection.open()
        connection.send_messages([message])
