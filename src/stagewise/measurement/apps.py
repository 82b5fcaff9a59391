from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "stagewise.measurement"
    verbose_name = _("Measurement: outcomes, the framework and its summaries")
