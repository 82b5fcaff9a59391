from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "stagewise.api"
    label = "api"
    verbose_name = _("Integrations and the API")
