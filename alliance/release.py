"""Which release of the portal a process runs: part of every key of the shared cache.

The cache keeps rendered HTML for up to 15 minutes (alliance/rendered.py) and pickled
structures per data version. Without the release in their keys, a deploy that changed
a template, a translation or the shape of a kept structure served the old release's
pieces (or failed on them) until they aged out. CACHES' KEY_FUNCTION puts release()
between Django's prefix and version, so each release starts with a cache of its own.
During a rolling deploy the old and new processes keep apart caches for a moment: the
data version, rate-limit counters and the like start afresh with the new release.
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

# What the pages and emails are made of: code, templates, catalogues, inline pictures.
SOURCES = ("alliance", "cities", "networks", "templates", "locale")
SUFFIXES = (".py", ".html", ".txt", ".mo", ".xml", ".svg")


@functools.cache
def release() -> str:
    """settings.RELEASE_ID (a deploy's own name for it, e.g. a commit), else
    source_digest() of the project with the collected static files' manifest (whose
    hashed names the pages link to). Read once per process: about 20 ms."""
    if settings.RELEASE_ID:
        return settings.RELEASE_ID
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return source_digest(Path(settings.BASE_DIR), extra=[manifest])


def source_digest(base: Path, extra: list[Path] = ()) -> str:
    """The first 12 hex digits of a SHA-256 over the names and contents of the files
    under `base`'s SOURCES with SUFFIXES (migrations and caches left out), and of the
    `extra` files that exist. The same tree gives the same digest on every machine."""
    digest = hashlib.sha256()
    files = []
    for source in SOURCES:
        for folder, folders, names in os.walk(base / source):
            folders[:] = [name for name in folders if name not in ("__pycache__", "migrations")]
            files += [Path(folder, name) for name in names if name.endswith(SUFFIXES)]
    for path in sorted(files) + [path for path in extra if path.is_file()]:
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def make_key(key: str, key_prefix: str, version: int) -> str:
    """Django's default cache key with the release after the prefix (KEY_FUNCTION)."""
    return f"{key_prefix}:{release()}:{version}:{key}"
