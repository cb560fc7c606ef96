from django.db import migrations

DEFAULT_RULES = [7 * 24 * 60, 24 * 60]


def create(apps, schema_editor):
    Network = apps.get_model("networks", "Network")
    ReminderRule = apps.get_model("networks", "ReminderRule")
    for network in Network.objects.all():
        for minutes in DEFAULT_RULES:
            ReminderRule.objects.get_or_create(network=network, minutes_before=minutes)


class Migration(migrations.Migration):
    dependencies = [("networks", "0005_meetings")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
