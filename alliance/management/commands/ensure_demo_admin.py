import secrets

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand

from alliance.models import User

DEMO_EMAIL = "secretariat@example.org"


class Command(BaseCommand):
    help = "Create the demo secretariat account once and print its password that one time."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)

    def handle(self, *args, email, **options):
        if User.objects.filter(email__iexact=email).exists():
            self.stdout.write(
                f"Demo secretariat account {email} exists (its password was printed when it "
                f"was created; reset it with: manage.py changepassword {email})."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            email=email, password=password, first_name="Demo", last_name="Secretariat"
        )
        # The admin signs in through the site's log-in, which wants a verified address;
        # a demo address receives no mail.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo secretariat account created — sign in at /admin/\n"
                f"  email:    {email}\n  password: {password}\n"
                f"(shown this once; keep it). At the first visit the admin asks you to set\n"
                f"up an authenticator app: staff open it only with a second factor.\n"
            )
        )
