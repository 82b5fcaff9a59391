"""Forms for disagreements. They parse what was typed; which subjects and routes apply, and
every rule about dates and steps, is the services' and the route table's."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.disagreements.models import Disagreement, DisagreementStep, RaisedFor
from stagewise.disagreements.routes import DisagreementSubject, Route
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.plausible import limit_of

DATE_HINT = _("For example, 27 3 2026")


def _date(label: Any, required_message: Any, help_text: Any = DATE_HINT) -> DateInputField:
    return DateInputField(
        label=label, help_text=help_text, error_messages={"required": required_message}
    )


def _words(
    model: Any, field: str, label: Any, required_message: Any = None, help_text: Any = ""
) -> LimitedCharField:
    return LimitedCharField(
        label=label,
        max_length=limit_of(model, field),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=required_message is not None,
        error_messages={"required": required_message} if required_message else {},
        help_text=help_text,
    )


class DisagreementForm(forms.Form):
    raised_for = forms.ChoiceField(
        label=_("Whose disagreement is it?"),
        choices=RaisedFor.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose disagreement this is.")},
    )
    subject = forms.ChoiceField(
        label=_("What is it about?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the disagreement is about."),
            "invalid_choice": _("Choose one of the subjects listed."),
        },
    )
    about = _words(
        Disagreement,
        "about",
        _("What do you disagree with?"),
        _("Say what the disagreement is about."),
        _("For example, a decision the school or the authority made, or support that stopped."),
    )
    family_wants = _words(
        Disagreement,
        "family_wants",
        _("What would you like to happen?"),
        _("Say what the family wants."),
    )
    opened_on = _date(
        _("When was it first raised?"),
        _("Enter the date the disagreement was first raised."),
    )
    staff_notes = _words(
        Disagreement,
        "staff_notes",
        _("Staff notes (optional)"),
        help_text=_("Only staff see these notes. The family never sees them."),
    )

    def __init__(
        self, *args: Any, subjects: list[DisagreementSubject], for_staff: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(subject.key, subject.label) for subject in subjects]  # type: ignore[attr-defined]
        if not for_staff:
            # A family records their own disagreement and writes no staff notes.
            del self.fields["raised_for"]
            del self.fields["staff_notes"]


class DisagreementMoveForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Which route does it move to?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the route the disagreement moves to."),
            "invalid_choice": _("Choose one of the routes still open."),
        },
    )
    moved_on = _date(_("Date it moved"), _("Enter the date the disagreement moved."))
    step_outcome = _words(
        DisagreementStep,
        "outcome",
        _("How did this step end?"),
        _("Say how this step ended."),
        _("The family sees this."),
    )
    staff_note = _words(
        DisagreementStep,
        "staff_note",
        _("Staff note (optional)"),
        help_text=_("Only staff see this note. The family never sees it."),
    )

    def __init__(self, *args: Any, routes: list[Route], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(route.key, route.name) for route in routes]  # type: ignore[attr-defined]


class DisagreementRouteTakenForm(DisagreementMoveForm):
    """The family's own record that they have taken a later route: the staff's form in the
    family's words, without the staff note."""

    def __init__(self, *args: Any, routes: list[Route], **kwargs: Any) -> None:
        super().__init__(*args, routes=routes, **kwargs)
        del self.fields["staff_note"]
        self.fields["route"].label = _("Which route have you taken?")
        self.fields["route"].help_text = _(
            "The first is the next route open to you. You do not have to try every route first."
        )
        self.fields["moved_on"].label = _("When did you ask for it?")
        self.fields["moved_on"].error_messages["required"] = _(
            "Enter the date you asked for this route."
        )
        self.fields["step_outcome"].label = _("How did the last step end?")
        self.fields["step_outcome"].help_text = _(
            "For example, the authority answered your complaint and did not change its decision. "
            "The school and the local authority see this."
        )


class DisagreementCloseForm(forms.Form):
    closed_on = _date(_("Date it ended"), _("Enter the date the disagreement ended."))
    outcome = _words(
        Disagreement,
        "outcome",
        _("Outcome"),
        _("Say how the disagreement ended."),
        _("What was agreed or decided. The family sees this."),
    )
    staff_note = _words(
        DisagreementStep,
        "staff_note",
        _("Staff note (optional)"),
        help_text=_("Only staff see this note. The family never sees it."),
    )
