"""The secretariat's three groups with their permissions (issue #6).

Permissions are normally created after the last migration; they are created here
first so a fresh database gets complete groups. `manage.py setup_roles` re-applies
the same rules later, e.g. after new models arrive.
"""

from django.apps import apps as global_apps
from django.db import migrations


def create_roles(apps, schema_editor):
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
        ("alliance", "0007_content_translations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cities", "0006_search_trigram_index"),
        ("networks", "0008_network_hosts"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
