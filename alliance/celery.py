import os

from celery import Celery
from celery.signals import import_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

# False in a Celery worker or beat, which serve no page (see below).
serves_pages = True


@import_modules.connect
def load_no_web_modules(**kwargs):
    """A worker or beat process does not load what only pages use.

    Celery sends import_modules when a worker or beat imports the task modules, just
    before its Django fixup sets Django up: connected before the app exists, this
    receiver runs first. Each prefork process carries whatever is loaded, so: no admin
    autodiscovery (the admin modules pull in django-import-export, tablib, openpyxl,
    Pillow) and no Django system checks at start, which import every URLconf and view
    (CI, `manage.py check` and `migrate` run them).
    """
    global serves_pages
    serves_pages = False
    os.environ.setdefault("CELERY_SKIP_CHECKS", "1")


app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
