import os
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand

from alliance.models import User

DEMO_EMAIL = "secretariat@example.org"
# Read by `make run` (alliance/dev_run.py) to show the sign-in again once the server is up.
CREDENTIALS_FILE = "demo-secretariat.txt"
# Works as printed from the repository's root: a bare manage.py needs DJANGO_DEBUG=true
# on a laptop (the settings default to production, which wants a secret key).
RESET_COMMAND = "DJANGO_DEBUG=true .venv/bin/python manage.py changepassword {email}"


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / CREDENTIALS_FILE


def write_credentials(*, email: str, password: str) -> Path:
    """Write the demo sign-in to var/demo-secretariat.txt, readable by its owner only.

    Returns the path. The file is created with mode 0600 (never world-readable, not even
    for an instant) and replaced whole if it exists.
    """
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(
            f"Sign in at /admin/ with\n  email:    {email}\n  password: {password}\n"
            f"Forgot it? {RESET_COMMAND.format(email=email)}\n"
        )
    return path


class Command(BaseCommand):
    help = (
        "Create the demo secretariat account once, print its password and keep it in "
        "var/demo-secretariat.txt (mode 0600) for `make run` to show again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL)

    def handle(self, *args, email, **options):
        if User.objects.filter(email__iexact=email).exists():
            where = credentials_path()
            kept = f"its password is in {where}" if where.exists() else "no password kept"
            self.stdout.write(
                f"Demo secretariat account {email} exists ({kept}). To choose a new "
                f"password:\n  {RESET_COMMAND.format(email=email)}"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            email=email, password=password, first_name="Demo", last_name="Secretariat"
        )
        # The admin signs in through the site's log-in, which wants a verified address;
        # a demo address receives no mail.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        path = write_credentials(email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo secretariat account created — sign in at /admin/\n"
                f"  email:    {email}\n  password: {password}\n"
                f"(kept in {path}, readable by you only). At the first visit the admin asks\n"
                f"you to set up an authenticator app: staff open it only with a second factor.\n"
            )
        )
