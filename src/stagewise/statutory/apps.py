from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatutoryConfig(AppConfig):
    name = "stagewise.statutory"
    verbose_name = _("Statutory rules")
