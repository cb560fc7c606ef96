"""Strict parsing of the environment.

Every reader names the variable in its error, so a typo in a deployment stops
start-up with a message that says what to fix instead of a half-configured app.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def get_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {value}.")
    return value


def get_choice(name: str, default: str, *, choices: set[str]) -> str:
    value = os.environ.get(name, default).strip().upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}.")
    return value


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_url(name: str, default: str, *, schemes: set[str]) -> str:
    """A URL whose scheme is one of `schemes`; returned unchanged."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid URL ({exc}).") from None
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"{name} must start with one of {allowed}:// (got {parts.scheme or 'no scheme'!r})."
        )
    return value


def get_database(name: str, default: str) -> dict:
    import dj_database_url

    url = get_url(name, default, schemes={"sqlite", "postgres", "postgresql", "postgis"})
    parts = urlsplit(url)
    if parts.scheme != "sqlite" and not (parts.hostname or parts.path.strip("/")):
        raise ImproperlyConfigured(f"{name} must name a host or a database: {url!r}.")
    try:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} could not be parsed ({exc}).") from None
