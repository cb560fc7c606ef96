from django.db import models
from django.db.models import Q

from cities.sizes import BOUNDS, SizeClass


class CityQuerySet(models.QuerySet):
    def of_size(self, size: SizeClass | str):
        low, high = BOUNDS[SizeClass(size)]
        qs = self.filter(population__gte=low)
        return qs.filter(population__lt=high) if high is not None else qs

    def search(self, text: str):
        """Name contains `text`, ignoring case and accents."""
        from cities.gazetteer import fold

        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self.none()

    def named(self, text: str):
        """Name or one of the other names is `text` once folded ("Lodz" is Łódź)."""
        from cities.gazetteer import fold

        folded = fold(text)
        if not folded:
            return self.none()
        # search_name holds one folded name per line.
        return self.filter(
            Q(search_name=folded)
            | Q(search_name__startswith=folded + "\n")
            | Q(search_name__endswith="\n" + folded)
            | Q(search_name__contains="\n" + folded + "\n")
        )
