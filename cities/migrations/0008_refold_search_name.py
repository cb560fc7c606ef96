"""Fold every stored name again with the transliterating fold (anyascii).

The earlier fold only stripped the accents Unicode decomposes, so "Łódź" was stored as
"łódź" and `lodz` did not find it. Batched by primary key and written with bulk_update
of the rows whose fold changed, so 200,000 cities take a few hundred short statements
rather than one UPDATE per city; the trigram index keeps serving the column.
"""

from django.db import migrations

BATCH = 2000


def refold(apps, schema_editor):
    from cities.models import search_text

    City = apps.get_model("cities", "City")
    last = 0
    while True:
        batch = list(
            City.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "name", "alternate_names", "search_name")[:BATCH]
        )
        if not batch:
            return
        last = batch[-1].pk
        changed = []
        for city in batch:
            folded = search_text(city.name, city.alternate_names)
            if folded != city.search_name:
                city.search_name = folded
                changed.append(city)
        City.objects.bulk_update(changed, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cities", "0007_city_is_member")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
