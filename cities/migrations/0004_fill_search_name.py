from django.db import migrations


def fill(apps, schema_editor):
    from cities.gazetteer import fold

    City = apps.get_model("cities", "City")
    for city in City.objects.only("id", "name").iterator():
        City.objects.filter(pk=city.pk).update(search_name=fold(city.name))


class Migration(migrations.Migration):
    dependencies = [("cities", "0003_city_logo_city_search_name_historicalcity_and_more")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
