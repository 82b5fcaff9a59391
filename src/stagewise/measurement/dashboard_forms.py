"""The dashboards' choices, read from the address (GET): the school year, which learners, and on
a measure's own page the breakdown to show it by. Choices are the ones with figures in scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.models import Breakdown
from stagewise.measurement.periods import school_year_label

ALL_LEARNERS = "all"


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("School year"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose a school year from the list.")},
    )

    def __init__(self, data: object, *, school_years: list[int]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (year, school_year_label(year)) for year in reversed(school_years)
        ]


class DashboardFilterForm(ReportYearForm):
    learners = forms.ChoiceField(
        label=_("Learners"),
        required=False,
        error_messages={"invalid_choice": _("Choose which learners from the list.")},
    )

    def __init__(
        self,
        data: object,
        *,
        school_years: list[int],
        groups: list[tuple[str, str, str]],
    ) -> None:
        super().__init__(data, school_years=school_years)
        self.fields["learners"].choices = [  # type: ignore[attr-defined]
            (ALL_LEARNERS, _("All learners")),
            *((f"{breakdown}:{value}", label) for breakdown, value, label in groups),
        ]

    def group(self) -> tuple[str, str]:
        """The breakdown and value chosen (all learners when none)."""
        chosen = self.cleaned_data.get("learners") or ALL_LEARNERS
        if chosen == ALL_LEARNERS:
            return Breakdown.ALL, ""
        breakdown, _sep, value = chosen.partition(":")
        return breakdown, value


class MeasureFilterForm(DashboardFilterForm):
    by = forms.ChoiceField(
        label=_("Show by"),
        required=False,
        error_messages={"invalid_choice": _("Choose a breakdown from the list.")},
    )

    def __init__(self, data: object, **choices: list) -> None:
        super().__init__(data, **choices)
        present = {breakdown for breakdown, _value, _label in choices["groups"]}
        self.fields["by"].choices = [  # type: ignore[attr-defined]
            ("", _("No breakdown")),
            *((code, label) for code, label in Breakdown.choices if code in present),
        ]
