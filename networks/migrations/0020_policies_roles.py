"""Give the secretariat's groups their permissions on the new models of the policy
library and the roadmap (issue #17): hosts on the roadmap steps of their cities, the
secretariat on everything, as alliance.roles says. The same as `manage.py setup_roles`, for a deployment."""

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
        ("networks", "0019_policies_library_roadmap"),
        ("alliance", "0012_faq_entry_link"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
