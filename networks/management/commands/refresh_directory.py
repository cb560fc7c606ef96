"""Recompute every city's directory fields from its memberships.

The Membership and Network signals keep City.is_member and City.member_since as the
portal changes them; SQL run by hand, or QuerySet.update() in a shell, sends no
signal. Run this afterwards (it is idempotent, one UPDATE over all cities).
"""

from django.core.management.base import BaseCommand

from alliance import data_version
from networks.services import cities_refresh_membership


class Command(BaseCommand):
    help = "Recompute City.is_member and City.member_since from the memberships."

    def handle(self, *args, **options):
        count = cities_refresh_membership()
        data_version.changed()
        self.stdout.write(f"refresh_directory: {count:,} cities refreshed.")
