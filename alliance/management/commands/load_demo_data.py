from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance.demo.loader import load_demo_data
from alliance.models import FaqEntry, Partner
from cities.models import City
from networks.models import Meeting, Membership, Network, PioneerLink


class Command(BaseCommand):
    help = (
        "Load the networks, founding cities, pioneers, partners and FAQ of the seed texts, "
        "and illustrative upcoming meetings."
    )

    def handle(self, *args, **options):
        load_demo_data()
        counts = {
            "networks": Network.objects.count(),
            "cities": City.objects.count(),
            "memberships": Membership.objects.count(),
            "pioneer links": PioneerLink.objects.count(),
            "partners": Partner.objects.count(),
            "upcoming meetings": Meeting.objects.upcoming(timezone.now()).count(),
            "FAQ entries": FaqEntry.objects.count(),
        }
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data in place: {summary}."))
