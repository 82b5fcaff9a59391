"""Forms for the administration pages. They parse what was typed; the services decide what is
allowed, so the same rules hold for imports and the shell."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise.accounts.models import User
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.organisations.models import (
    STAFF_ROLES,
    Agency,
    AgencyType,
    LanguageMedium,
    Role,
    Setting,
    SettingType,
)
from stagewise.organisations.selectors import (
    agency_choices,
    authority_choices,
    nation_choices,
    setting_choices,
)
from stagewise.plausible import limit_of


class SettingForm(forms.Form):
    name = LimitedCharField(
        label=_("Name"),
        max_length=limit_of(Setting, "name"),
        error_messages={"required": _("Enter the name of the school, nursery or college.")},
    )
    name_cy = LimitedCharField(
        label=_("Name in Welsh (optional)"),
        max_length=limit_of(Setting, "name_cy"),
        required=False,
        help_text=_("Leave blank if the name is the same in Welsh."),
    )
    setting_type = forms.ChoiceField(
        label=_("Type"),
        choices=SettingType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of school, nursery or college.")},
    )
    language_medium = forms.ChoiceField(
        label=_("Language medium"),
        choices=LanguageMedium.choices,
        initial=LanguageMedium.ENGLISH,
        widget=forms.RadioSelect,
        help_text=_("The main language teaching is in."),
        error_messages={"required": _("Choose the language medium.")},
    )
    reference_number = LimitedCharField(
        label=_("Reference number (optional)"),
        max_length=limit_of(Setting, "reference_number"),
        required=False,
        help_text=_("SEED code in Scotland, school number in Wales."),
    )


class AgencyForm(forms.Form):
    name = LimitedCharField(
        label=_("Name"),
        max_length=limit_of(Agency, "name"),
        error_messages={"required": _("Enter the name of the agency.")},
    )
    name_cy = LimitedCharField(
        label=_("Name in Welsh (optional)"),
        max_length=limit_of(Agency, "name_cy"),
        required=False,
        help_text=_("Leave blank if the name is the same in Welsh."),
    )
    agency_type = forms.ChoiceField(
        label=_("Type"),
        choices=AgencyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of agency.")},
    )


class PersonSearchForm(forms.Form):
    search = forms.CharField(label=_("Name or email address"), required=False, max_length=200)


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the person's email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
            "max_length": _("Email address must be 254 characters or fewer."),
        },
    )
    full_name = LimitedCharField(
        label=_("Full name"),
        max_length=limit_of(User, "full_name"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the person's full name.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User.LANGUAGE_CHOICES,
        initial="en",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language Stagewise should use for them.")},
    )
    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters, not a common password. Leave blank and the person sets "
            "their own with “Forgotten your password?” on the sign-in page."
        ),
    )


class SettingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.authority.display_name})"


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.authority.display_name})"


ROLE_CHOICE_LABELS = {
    Role.SUPPORT_FOR_LEARNING_LEAD: _("Support-for-learning lead (in Wales, the ALNCo)"),
}


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (role.value, ROLE_CHOICE_LABELS.get(role, role.label))
            for role in Role
            if role in STAFF_ROLES
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role.")},
    )
    setting = SettingChoiceField(
        label=_("School, nursery or college"),
        queryset=setting_choices(),
        required=False,
        empty_label=_("None"),
        help_text=_("For class teachers, support-for-learning leads and head teachers."),
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
        help_text=_("For agency practitioners."),
    )
    nation = forms.ModelChoiceField(
        label=_("Nation"),
        queryset=nation_choices(),
        required=False,
        empty_label=_("None"),
        help_text=_("For national analysts. A system administrator needs no organisation."),
    )
    started_on = DateInputField(
        label=_("Start date"),
        initial=timezone.localdate,
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the role starts.")},
    )
    ended_on = DateInputField(
        label=_("End date (optional)"),
        required=False,
        help_text=_("Leave blank if the role has no planned end."),
    )


class MembershipEndForm(forms.Form):
    ended_on = DateInputField(
        label=_("Last day in the role"),
        initial=timezone.localdate,
        help_text=_("They keep the role until the end of this day. For example, 27 3 2026"),
        error_messages={"required": _("Enter the last day in the role.")},
    )


class MembershipFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role"))]
        + [(role.value, role.label) for role in Role if role in STAFF_ROLES],
    )
