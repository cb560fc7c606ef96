"""New rows and their history rows written by COPY on PostgreSQL (issue #19: throughput).

bulk_create spends most of an import's time preparing each value of each row in Python
(Django's compiler, then psycopg's parameters); COPY streams the rows as they are. The
primary keys are taken from the table's sequence first (one query), so the rows keep
them for what follows (history rows, status-change rows, the directory's refresh). On
any other database: simple-history's bulk_create_with_history, same outcome.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import FileField, JSONField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

_HISTORY_VALUES = {"history_type": "+"}
_PLAIN = (str, int, float, Decimal, datetime.date)  # bool is an int; datetime a date


def insert(model, objs: list, *, user=None, reason: str | None = None) -> None:
    """Insert `objs` (unsaved instances of `model`, every field already set: save()'s
    auto_now and the like are not run) with one history row each, by `user` (a User or
    None) for `reason`. Sets each object's pk."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            objs, model, batch_size=1000, default_user=user, default_change_reason=reason
        )
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
    copy_rows(
        model,
        model._meta.concrete_fields,
        ([_value(f, o) for f in model._meta.concrete_fields] for o in objs),
    )
    history = model.history.model
    fields = [f for f in history._meta.concrete_fields if f.name != "history_id"]
    now = timezone.now()
    special = {
        "history_date": now,
        "history_change_reason": reason,
        "history_user": user.pk if user is not None else None,
        **_HISTORY_VALUES,
    }
    rows = ([special[f.name] if f.name in special else _value(f, o) for f in fields] for o in objs)
    copy_rows(history, fields, rows)


def _value(field, obj):
    value = getattr(obj, field.attname)
    if isinstance(field, JSONField):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    if value is None or isinstance(value, _PLAIN):
        return value
    return field.get_db_prep_save(value, connection)  # a Country, a file's name


def copy_rows(model, fields, rows) -> None:
    """COPY `rows` (iterables of database-ready values, in the order of `fields`, model
    fields of `model`) into its table: PostgreSQL only. Sets no primary key."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def release_files(model, objs: list) -> None:
    """Break the reference cycle that each file field leaves on written instances of
    `model`: reading the attribute (as COPY, bulk_create and bulk_update do) stores a
    FieldFile in the instance, and the FieldFile refers back to the instance.

    Such an instance is freed only by the cyclic garbage collector, which runs rarely in
    a worker that has run for a while (many long-lived objects): a 50,000-row import
    then held about 15 MB more at its peak (tests/imports/test_memory.py). Assigning
    the file's name back, as a loader would, leaves a plain string in the instance.
    """
    fields = [f for f in model._meta.concrete_fields if isinstance(f, FileField)]
    for obj in objs:
        for field in fields:
            setattr(obj, field.attname, getattr(obj, field.attname).name)
