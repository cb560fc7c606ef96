"""City.member_facts for the cities already there (networks.directory.facts)."""

from django.db import migrations


def fill(apps, schema_editor):
    from networks.directory import facts as directory_facts

    City = apps.get_model("cities", "City")
    Membership = apps.get_model("networks", "Membership")
    directory_facts.refresh(City.objects.filter(is_member=True), membership_model=Membership)


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0010_city_member_facts"),
        ("networks", "0015_application_city_search_name"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
