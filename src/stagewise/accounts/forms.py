from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.accounts.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language"]
        labels = {"preferred_language": _("Language for Stagewise")}
