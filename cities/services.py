from django.utils.text import slugify

from cities.models import City


def city_unique_slug(*, name: str, country: str, exclude_pk: int | None = None) -> str:
    """A slug unique across the world: "cordoba-ar" and "cordoba-es", then "-2", "-3"…"""
    base = slugify(f"{name} {country}")[:200].strip("-") or f"city-{country}".lower()
    taken = City.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    slugs = set(taken.values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in slugs:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
