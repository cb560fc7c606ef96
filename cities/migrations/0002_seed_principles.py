from django.db import migrations

# The five shared principles every member city can pledge to; fixed by the Alliance.
CODES = [
    "transparency-privacy",
    "safety-security-resiliency",
    "interoperability-openness",
    "sustainability",
    "equity-societal-impact",
]


def seed(apps, schema_editor):
    Principle = apps.get_model("cities", "Principle")
    for order, code in enumerate(CODES, start=1):
        Principle.objects.update_or_create(code=code, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
