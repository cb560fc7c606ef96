"""City size classes by population (OECD functional urban areas)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SizeClass(models.TextChoices):
    TOWN = "town", _("Town (under 50,000)")
    SMALL = "small", _("Small urban area (50,000–200,000)")
    MEDIUM = "medium", _("Medium-sized urban area (200,000–500,000)")
    METROPOLITAN = "metropolitan", _("Metropolitan area (500,000–1.5 million)")
    LARGE_METROPOLITAN = "large-metropolitan", _("Large metropolitan area (1.5 million and more)")


# The class's name alone, for tables that head the column "Size" and show the
# population beside it.
SHORT_LABELS = {
    SizeClass.TOWN: pgettext_lazy("city size", "Town"),
    SizeClass.SMALL: pgettext_lazy("city size", "Small"),
    SizeClass.MEDIUM: pgettext_lazy("city size", "Medium-sized"),
    SizeClass.METROPOLITAN: pgettext_lazy("city size", "Metropolitan"),
    SizeClass.LARGE_METROPOLITAN: pgettext_lazy("city size", "Large metropolitan"),
}

# Lower bound (inclusive) and upper bound (exclusive) of each class.
BOUNDS: dict[SizeClass, tuple[int, int | None]] = {
    SizeClass.TOWN: (0, 50_000),
    SizeClass.SMALL: (50_000, 200_000),
    SizeClass.MEDIUM: (200_000, 500_000),
    SizeClass.METROPOLITAN: (500_000, 1_500_000),
    SizeClass.LARGE_METROPOLITAN: (1_500_000, None),
}


def size_class_for(population: int | None) -> SizeClass | None:
    if population is None:
        return None
    for size, (low, high) in BOUNDS.items():
        if population >= low and (high is None or population < high):
            return size
    return None
