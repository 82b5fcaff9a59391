"""Forms for statutory processes. They parse input; every rule about clocks (which rules apply,
dates in the future, the ceiling, a reason when one is needed) lives in statutory/services."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import DateInputField, LimitedCharField
from stagewise.organisations.models import Agency
from stagewise.plausible import PLANNED, check_date, limit_of
from stagewise.statutory.models import ProcessEvent, ProcessOutcome, StatutoryProcess
from stagewise.statutory.process_selectors import StartableRule

DATE_HINT = _("For example, 27 3 2026")


def _date(label: Any, required_message: Any, help_text: Any = DATE_HINT) -> DateInputField:
    return DateInputField(
        label=label, help_text=help_text, error_messages={"required": required_message}
    )


def _reason(label: Any, *, required_message: Any = None, help_text: Any = "") -> LimitedCharField:
    return LimitedCharField(
        label=label,
        max_length=limit_of(ProcessEvent, "reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=required_message is not None,
        error_messages={"required": required_message} if required_message else {},
        help_text=help_text,
    )


class ProcessStartForm(forms.Form):
    rule_key = forms.ChoiceField(
        label=_("Which statutory timescale?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the statutory timescale to start."),
            "invalid_choice": _("Choose one of the statutory timescales listed."),
        },
    )
    started_on = _date(
        _("Date of the event"),
        _("Enter the date of the event the clock counts from."),
        help_text=_(
            "The day the request or concern came in, or the decision was made. For a timescale"
            " that counts back (leaving school, starting pre-school), the expected date of that"
            " event. For example, 27 3 2026"
        ),
    )
    agency = forms.ChoiceField(
        label=_("Agency asked for help"),
        required=False,
        help_text=_("Only for a timescale an agency must meet."),
    )
    reason = _reason(
        _("Why the clock is starting (optional)"),
        help_text=_("For example, the parent asked in writing on this date."),
    )

    def __init__(
        self, *args: Any, rules: list[StartableRule], agencies: list[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.agencies = {str(agency.pk): agency for agency in agencies}
        self.fields["rule_key"].choices = [(rule.key, rule.label) for rule in rules]  # type: ignore[attr-defined]
        if any(rule.needs_agency for rule in rules):
            self.fields["agency"].choices = [("", _("Choose an agency"))] + [  # type: ignore[attr-defined]
                (key, agency.display_name) for key, agency in self.agencies.items()
            ]
        else:
            del self.fields["agency"]

    def clean_started_on(self) -> date | None:
        # Checked here as well as in the service: a date far outside the plausible range could
        # not be counted back from at all.
        started_on = self.cleaned_data.get("started_on")
        if started_on is not None:
            check_date(started_on, within=PLANNED, label=self.fields["started_on"].label)
        return started_on

    def clean_agency(self) -> Agency | None:
        return self.agencies.get(self.cleaned_data.get("agency") or "")


class ProcessPauseForm(forms.Form):
    paused_on = _date(_("Date the clock stopped"), _("Enter the date the clock stopped."))
    reason = _reason(
        _("Why the clock is paused"),
        required_message=_("Give the reason for pausing the clock."),
        help_text=_("The family will see this reason."),
    )


class ProcessResumeForm(forms.Form):
    resumed_on = _date(
        _("Date the clock started again"), _("Enter the date the clock started again.")
    )
    reason = _reason(
        _("Anything to add (optional)"), help_text=_("The family will see this reason.")
    )


class ProcessExtendForm(forms.Form):
    new_due_on = _date(_("New due date"), _("Enter the new due date."))
    reason = _reason(
        _("Why the date is later"),
        required_message=_("Give the reason for the new date: the family will see it."),
        help_text=_("The family will see the new date and this reason."),
    )

    def __init__(self, *args: Any, ceiling_hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ceiling_hint:
            self.fields["new_due_on"].help_text = f"{ceiling_hint} {DATE_HINT}"


class ProcessCloseForm(forms.Form):
    closed_on = _date(_("Date the process ended"), _("Enter the date the process ended."))
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[
            (ProcessOutcome.DONE, _("Done: what the timescale asks for was done")),
            (ProcessOutcome.WITHDRAWN, _("Withdrawn or no longer needed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the process ended.")},
    )
    note = LimitedCharField(
        label=_("What was decided"),
        max_length=limit_of(StatutoryProcess, "outcome_note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required if the process is no longer needed: say why."),
    )
