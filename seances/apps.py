from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = _("Agenda and sessions")
