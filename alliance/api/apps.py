from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "alliance.api"
    label = "api"
    verbose_name = _("Open data")

    def ready(self):
        from alliance.api import signals

        signals.connect()
