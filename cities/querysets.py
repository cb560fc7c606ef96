from django.db import models

from cities.sizes import BOUNDS, SizeClass


class CityQuerySet(models.QuerySet):
    def of_size(self, size: SizeClass | str):
        low, high = BOUNDS[SizeClass(size)]
        qs = self.filter(population__gte=low)
        return qs.filter(population__lt=high) if high is not None else qs

    def search(self, text: str):
        """Name contains `text`, ignoring case and accents."""
        from cities.gazetteer import fold

        folded = fold(text).strip()
        return self.filter(search_name__contains=folded) if folded else self.none()
