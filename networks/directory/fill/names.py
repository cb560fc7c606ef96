"""Names and slugs of the cities fill_directory adds."""

import unicodedata
from decimal import Decimal

from django.utils.text import slugify

from cities.gazetteer import fold

MAX_ALTERNATE_NAMES = 3


def base_slug(name: str, country: str) -> str:
    """The slug cities.services.city_unique_slug starts from, before any counter."""
    return slugify(f"{name} {country}")[:200].strip("-") or f"city-{country}".lower()


def claim_slug(base: str, taken: set[str]) -> str:
    """base, base-2, base-3… whichever is free first, as city_unique_slug does."""
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    taken.add(slug)
    return slug


def is_latin(text: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


def alternate_names(row: dict) -> str:
    """Up to three Latin-script names the gazetteer knows besides the name, one a line.

    Skips codes such as "BOM" and lower-case transliterations such as "wrsan"; keeps
    names that still differ from the name, and from each other, once folded.
    """
    seen = {fold(row["name"])}
    picked = []
    for alt in row.get("alternatenames") or ():
        alt = alt.strip()
        if len(alt) < 2 or not alt[0].isupper() or alt.isupper() or not is_latin(alt):
            continue
        folded = fold(alt)
        if folded in seen:
            continue
        seen.add(folded)
        picked.append(alt)
        if len(picked) == MAX_ALTERNATE_NAMES:
            break
    return "\n".join(picked)


def coordinate(value: float, limit: int) -> Decimal:
    return Decimal(f"{max(-limit, min(limit, value)):.5f}")
