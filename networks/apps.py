from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from networks import facts, signals
        from networks.meetings import feeds as calendar_feeds

        signals.connect()
        facts.connect()
        calendar_feeds.connect()
