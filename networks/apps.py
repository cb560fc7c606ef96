from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from simple_history import register

        from networks import facts, signals
        from networks.involvement import figures
        from networks.meetings import feeds as calendar_feeds
        from networks.models import NominationCall
        from networks.policies import signals as policy_signals

        # After modeltranslation added the summary in each language (alliance/apps.py).
        register(NominationCall, app="networks")

        signals.connect()
        facts.connect()
        figures.connect()
        calendar_feeds.connect()
        policy_signals.connect()
