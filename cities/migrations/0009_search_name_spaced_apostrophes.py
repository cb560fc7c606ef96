"""Store each name's spelling with its apostrophe read as a space too.

"L’Aquila" was stored as "laquila" only, so "l aquila" (an apostrophe typed as a space)
found nothing and an applicant could describe the city again. `search_text` now stores
both spellings; this writes them for the existing rows with 0008's batched refold.
"""

import importlib

from django.db import migrations

_refold = importlib.import_module("cities.migrations.0008_refold_search_name").refold


def refold(apps, schema_editor):
    _refold(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cities", "0008_refold_search_name")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
