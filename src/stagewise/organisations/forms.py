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
    NationalBody,
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
from stagewise.statutory.models import CalendarPeriodKind


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
        help_text=_(
            "For local authority officers, educational psychologists and data protection officers."
        ),
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
    national_body = forms.ModelChoiceField(
        label=_("National body"),
        queryset=NationalBody.objects.order_by("name"),
        required=False,
        empty_label=_("None"),
        help_text=_("For policy officers, who track the national action plans."),
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


class CalendarPeriodForm(forms.Form):
    """A term or closure of an authority's calendar. The service checks how it fits the rest."""

    kind = forms.ChoiceField(
        label=_("Term or closure"),
        choices=[
            (CalendarPeriodKind.TERM, _("Term")),
            (CalendarPeriodKind.CLOSURE, _("Closure (a holiday, in-service day or bank holiday)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this is a term or a closure.")},
    )
    setting = forms.ChoiceField(
        label=_("Whose calendar"),
        required=False,
        help_text=_("Terms are the whole authority's. A closure can be for one school only."),
    )
    academic_year = forms.CharField(
        label=_("Academic year"),
        max_length=7,
        help_text=_("Like 2026-27. The year runs from 1 August to 31 July."),
        error_messages={"required": _("Enter the academic year, like 2026-27.")},
    )
    first_day = DateInputField(
        label=_("First day"),
        help_text=_("For example, 24 8 2026"),
        error_messages={"required": _("Enter the first day.")},
    )
    last_day = DateInputField(
        label=_("Last day"),
        help_text=_("For a single day, the same as the first day."),
        error_messages={"required": _("Enter the last day.")},
    )
    description = LimitedCharField(
        label=_("Description (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example, Autumn term or October holiday."),
    )

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority
        setting_field = self.fields["setting"]
        assert isinstance(setting_field, forms.ChoiceField)
        setting_field.choices = [
            ("", _("The whole authority")),
            *((str(setting.pk), setting.display_name) for setting in authority.settings.all()),
        ]

    def clean_setting(self) -> Any:
        value = self.cleaned_data.get("setting")
        if not value:
            return None
        return self.authority.settings.get(pk=value)


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (CSV)"),
        help_text=_(
            "The first line must be the columns "
            "authority,setting,academic_year,kind,first_day,last_day,description."
        ),
        error_messages={"required": _("Choose a CSV file to upload.")},
    )

    # A national calendar for a year is a few thousand lines; anything much bigger is a mistake.
    MAX_BYTES = 1_000_000

    def clean_file(self) -> list[str]:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 1 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file must be a CSV file saved as UTF-8 text.")
            ) from None
        return text.splitlines()
