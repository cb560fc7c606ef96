"""A trigram index serves the directory's accent-insensitive "name contains" search.

PostgreSQL only; SQLite scans, which is fine at laptop scale.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS city_search_trgm_idx "
        "ON cities_city USING gin (search_name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS city_search_trgm_idx")


def refill(apps, schema_editor):
    from cities.models import search_text

    City = apps.get_model("cities", "City")
    for city in City.objects.only("id", "name", "alternate_names").iterator():
        City.objects.filter(pk=city.pk).update(
            search_name=search_text(city.name, city.alternate_names)
        )


class Migration(migrations.Migration):
    dependencies = [("cities", "0005_directory_search")]
    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(refill, migrations.RunPython.noop),
    ]
