"""The administration forms for integrations and tokens; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.api.models import Scope
from stagewise.api.services import INTEGRATION_ROLES
from stagewise.fields import LimitedCharField
from stagewise.organisations.forms import ROLE_CHOICE_LABELS, AgencyChoiceField, SettingChoiceField
from stagewise.organisations.models import Role
from stagewise.organisations.selectors import agency_choices, authority_choices, setting_choices


class IntegrationForm(forms.Form):
    name = LimitedCharField(
        label=_("Name"),
        max_length=200,
        help_text=_("The system it connects, like “Riverside Primary MIS”."),
        error_messages={"required": _("Enter the integration's name.")},
    )
    role = forms.ChoiceField(
        label=_("Role it acts in"),
        choices=[
            (role.value, ROLE_CHOICE_LABELS.get(role, Role(role).label))
            for role in INTEGRATION_ROLES
        ],
        widget=forms.RadioSelect,
        help_text=_("It sees and does exactly what a person in this role there would."),
        error_messages={
            "required": _("Choose the role it acts in."),
            "invalid_choice": _("Choose the role it acts in."),
        },
    )
    setting = SettingChoiceField(
        label=_("School, nursery or college"),
        queryset=setting_choices(),
        required=False,
        empty_label=_("None"),
        help_text=_("For support-for-learning leads and head teachers."),
    )
    authority = forms.ModelChoiceField(
        label=_("Local authority"),
        queryset=authority_choices(),
        required=False,
        empty_label=_("None"),
        help_text=_("For local authority officers and educational psychologists."),
    )
    agency = AgencyChoiceField(
        label=_("Agency"),
        queryset=agency_choices(),
        required=False,
        empty_label=_("None"),
        help_text=_("For agency practitioners and service managers."),
    )


class TokenForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one scope."),
            "invalid_choice": _("Choose scopes from the list."),
        },
    )
