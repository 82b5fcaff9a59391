from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataProtectionConfig(AppConfig):
    name = "stagewise.data_protection"
    label = "data_protection"
    verbose_name = _("Data protection")
