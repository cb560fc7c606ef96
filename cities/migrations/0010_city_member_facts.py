"""City.member_facts: the membership facts the directory filters on, beside the city.

PostgreSQL gets a GIN index on it, which serves the directory's "has key" look-ups
(a network, kind or role filter) for counts; SQLite scans, fine at laptop scale.
The values are filled by networks' migration 0016_fill_city_member_facts.
"""

from django.db import migrations, models


def index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS city_member_facts_idx ON cities_city USING gin (member_facts)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS city_member_facts_idx")


class Migration(migrations.Migration):
    dependencies = [("cities", "0009_search_name_spaced_apostrophes")]

    operations = [
        migrations.AddField(
            model_name="city",
            name="member_facts",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(index, drop_index),
    ]
