"""Form fields shared across apps, rendered in the GOV.UK Design System patterns."""

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from stagewise.plausible import too_long


class LimitedCharField(forms.CharField):
    """Free text with a length limit; the error names the field and says how long the text is.

    Line breaks arrive from the browser as two characters; they are kept as one, as the page's
    character count and every reader count them.
    """

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise too_long(self.label or "", self.max_length, len(value))

    @property
    def limit_display(self) -> str:
        """The limit as the page shows it: 20,000."""
        return number_format(self.max_length, force_grouping=True) if self.max_length else ""


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "includes/date_widget.html"

    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            # Four digits, so a stored year such as 0001 shows as it is and can be corrected.
            return [value.day, value.month, f"{value.year:04d}"]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    widget = DateInputWidget

    default_error_messages = {
        "incomplete": _("Enter a day, month and year."),
        "invalid": _("Enter a real date, with the year as four digits, like 27 3 2015."),
    }

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        if not all(data_list):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        day, month, year = (part.strip() for part in data_list)
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def school_choice_field(schools: "Sequence[Any]") -> forms.TypedChoiceField:
    """An authority's page narrowed to one of its schools (read from the address), or all."""
    return forms.TypedChoiceField(
        label=_("School"),
        choices=[("", _("All schools"))] + [(str(s.pk), str(s)) for s in schools],
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a school from the list.")},
    )
