from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from simple_history import register

        from alliance import checks, login_failures  # noqa: F401 - registers checks and receivers
        from alliance.models import Partner

        # Here rather than on the model: modeltranslation has now added the description
        # in each language, and the history must keep every one of them.
        register(Partner, app="alliance")
        # The partners page and the network pages keep their partners per version of the
        # public data (alliance/data_version.py): a partner's change starts a new one.
        for signal in (post_save, post_delete):
            signal.connect(_partners_changed, sender=Partner, dispatch_uid="data-version-partner")
        m2m_changed.connect(
            _partners_changed, sender=Partner.networks.through, dispatch_uid="data-version-partner"
        )


def _partners_changed(sender, **kwargs):
    from alliance import data_version

    data_version.changed()
