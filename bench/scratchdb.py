"""A PostgreSQL database of a benchmark's own, on DATABASE_URL's server: created empty
before a run and dropped after it (bench/reminders.py, bench/reminders_chaos.py)."""

from urllib.parse import urlsplit, urlunsplit


def is_postgresql(url: str) -> bool:
    """Whether `url` (a DATABASE_URL) names a PostgreSQL server."""
    return urlsplit(url).scheme in {"postgres", "postgresql"}


def admin_connection(url: str):
    """An autocommit psycopg connection to the `postgres` database of `url`'s server."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def recreate(url: str, name: str) -> str:
    """Drops (with FORCE) and creates the database `name`; returns `url` pointed at it.
    Raises psycopg's errors when the server refuses."""
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def drop(url: str, name: str) -> None:
    """Drops the database `name` (with FORCE) if it exists."""
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
