"""Form fields shared across apps, rendered in the GOV.UK Design System patterns."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "includes/date_widget.html"

    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
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
