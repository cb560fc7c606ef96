"""City.is_member for the cities already there: an active membership of an active network."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def fill(apps, schema_editor):
    City = apps.get_model("cities", "City")
    Membership = apps.get_model("networks", "Membership")
    City.objects.update(
        is_member=Exists(
            Membership.objects.filter(city=OuterRef("pk"), status="active", network__is_active=True)
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0007_city_is_member"),
        ("networks", "0011_admin_filter_indexes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
