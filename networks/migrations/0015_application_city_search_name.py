"""An application's described city name, folded, so the admin's search finds "Łódź" by
"lodz" before the city is in the directory. Applications are few (one per city and
network); they are filled in batches of BATCH by primary key all the same.
"""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from cities.models import search_text

    Application = apps.get_model("networks", "Application")
    last = 0
    while True:
        batch = list(
            Application.objects.filter(pk__gt=last)
            .exclude(city_name="")
            .order_by("pk")
            .only("pk", "city_name")[:BATCH]
        )
        if not batch:
            return
        last = batch[-1].pk
        for application in batch:
            application.city_search_name = search_text(application.city_name)
        Application.objects.bulk_update(batch, ["city_search_name"])


class Migration(migrations.Migration):
    dependencies = [("networks", "0014_network_page_indexes")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="city_search_name",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
