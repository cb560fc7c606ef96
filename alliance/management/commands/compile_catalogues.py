from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogues(force: bool = False) -> list[Path]:
    """Compile every locale/*/LC_MESSAGES/*.po whose .mo is missing or older.

    polib instead of Django's compilemessages: that one needs GNU gettext, and `make
    run` must work on a laptop that has only Python.
    """
    compiled = []
    for folder in settings.LOCALE_PATHS:
        for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled.append(mo_path)
    return compiled


class Command(BaseCommand):
    help = "Compile the message catalogues (.po → .mo) that changed."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="compile all of them")

    def handle(self, *args, force=False, **options):
        for path in compile_catalogues(force=force):
            self.stdout.write(f"compiled {path}")
