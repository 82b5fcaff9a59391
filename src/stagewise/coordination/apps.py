from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "stagewise.coordination"
    verbose_name = _("Multi-agency coordination")
