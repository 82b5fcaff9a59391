from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollImportsConfig(AppConfig):
    name = "stagewise.roll_imports"
    verbose_name = _("Roll imports: learners from a school information system")
