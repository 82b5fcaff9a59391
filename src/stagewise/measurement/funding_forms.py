"""Recording an allocation of additional funding: the school year, the amount, where it came
from, what it is for and the measures it is meant to change (those of the authority's nation)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagewise.measurement.models import FundingAllocation, Measure
from stagewise.measurement.models.funding import EARLIEST_FUNDED_SCHOOL_YEAR
from stagewise.measurement.periods import school_year_label, school_year_of


class FundingForm(forms.ModelForm):
    school_year = forms.TypedChoiceField(
        label=_("School year"),
        coerce=int,
        error_messages={
            "required": _("Choose the school year the funding is for."),
            "invalid_choice": _("Choose a school year from the list."),
        },
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures it is meant to change"),
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one measure it is meant to change.")},
    )

    class Meta:
        model = FundingAllocation
        fields = ["school_year", "amount", "source", "purpose", "measures"]
        error_messages = {
            "amount": {
                "required": _("Enter the amount in pounds, like 250000."),
                "invalid": _("Enter the amount in pounds, like 250000."),
            },
            "source": {"required": _("Enter where the funding came from.")},
            "purpose": {"required": _("Enter what the funding is for.")},
        }

    def __init__(self, *args: object, measures: list[Measure], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        this_year = school_year_of(timezone.localdate())
        self.fields["school_year"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a school year")),
            *(
                (year, school_year_label(year))
                for year in range(this_year + 1, EARLIEST_FUNDED_SCHOOL_YEAR - 1, -1)
            ),
        ]
        field = self.fields["measures"]
        field.queryset = Measure.objects.filter(pk__in=[m.pk for m in measures])  # type: ignore[attr-defined]
        field.label_from_instance = lambda measure: measure.display_name  # type: ignore[attr-defined]
