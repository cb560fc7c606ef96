from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.core.management.base import BaseCommand

from alliance.roles import roles_setup


class Command(BaseCommand):
    help = (
        "Create the Secretariat, Network host and Read-only auditor groups with their permissions."
    )

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)  # models added since the last migrate
        roles_setup()
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
