from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from alliance import checks, login_failures  # noqa: F401 - registers checks and receivers
