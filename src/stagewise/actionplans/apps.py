from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "stagewise.actionplans"
    verbose_name = _("Action plans")
