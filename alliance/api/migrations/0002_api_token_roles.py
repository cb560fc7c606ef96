"""The secretariat's groups get the new API token permissions (as alliance 0008_roles:
permissions are normally created after the last migration)."""

from django.apps import apps as global_apps
from django.db import migrations


def apply_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from alliance.roles import roles_setup

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)
    roles_setup(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens"),
        ("alliance", "0011_partner_history_per_language"),
        ("cities", "0009_search_name_spaced_apostrophes"),
        ("networks", "0015_application_city_search_name"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
