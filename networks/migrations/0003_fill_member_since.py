from django.db import migrations
from django.db.models import Min


def fill(apps, schema_editor):
    City = apps.get_model("cities", "City")
    Membership = apps.get_model("networks", "Membership")
    firsts = (
        Membership.objects.filter(status="active")
        .values("city_id")
        .annotate(first=Min("joined_on"))
    )
    for row in firsts.iterator():
        City.objects.filter(pk=row["city_id"]).update(member_since=row["first"])


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_application_applicationevent_and_more"),
        ("cities", "0006_search_trigram_index"),
    ]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
