from django.apps import AppConfig
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
