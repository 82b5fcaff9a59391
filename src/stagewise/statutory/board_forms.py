"""The deadline board's choices: the period closed clocks are counted over, and for an
authority, one of its schools."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, school_choice_field
from stagewise.organisations.models import Setting

DATE_HINT = _("For example, 1 8 2026")


class DeadlineBoardForm(forms.Form):
    """Read from the address (GET): `from` and `to` (day, month and year boxes) and `school`."""

    def __init__(self, *args: Any, schools: list[Setting], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # "from" is a Python keyword, so the fields are added by name.
        self.fields["from"] = DateInputField(
            label=_("Closed on or after"),
            help_text=DATE_HINT,
            required=False,
        )
        self.fields["to"] = DateInputField(
            label=_("Closed on or before"),
            help_text=DATE_HINT,
            required=False,
        )
        if schools:
            self.fields["school"] = school_choice_field(schools)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if end is not None and end > self.today:
            self.add_error("to", _("The end of the period cannot be in the future."))
        elif start is not None and end is not None and start > end:
            self.add_error("to", _("The end of the period must be the same as or after its start."))
        return cleaned
