"""Forms for meetings around a learner. They parse input; what a meeting needs, and who may do
what, lives in coordination/services/meetings.py."""

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.meeting_models import (
    Attendance,
    Meeting,
    MeetingAction,
    MeetingInvitee,
    MeetingKind,
    MeetingViews,
    ViewsOf,
)
from stagewise.fields import DateInputField, LimitedCharField
from stagewise.planning.models import Plan
from stagewise.plausible import limit_of

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class TimeOfDayField(forms.CharField):
    """A time typed as 14:30 (or 14.30), as GOV.UK services ask for one."""

    default_error_messages = {
        "invalid": _("Enter the time as hours and minutes on the 24-hour clock, like 14:30."),
    }

    def to_python(self, value: Any) -> datetime.time | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        found = TIME.match(text)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hours, minutes = int(found.group(1)), int(found.group(2))
        if hours > 23 or minutes > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hours, minutes)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return value


def _words(model: Any, name: str, label: Any, required: Any, help_text: Any = "") -> Any:
    return LimitedCharField(
        label=label,
        max_length=limit_of(model, name),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": required},
        help_text=help_text,
        required=bool(required),
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of meeting.")},
    )
    held_on = DateInputField(
        label=_("Date of the meeting"),
        help_text=_("For example, 27 3 2027."),
        error_messages={"required": _("Enter the date of the meeting.")},
    )
    starts_at = TimeOfDayField(
        label=_("Time it starts"),
        help_text=_("On the 24-hour clock, for example 14:30."),
        error_messages={"required": _("Enter the time the meeting starts, for example 14:30.")},
    )
    place = LimitedCharField(
        label=_("Where"),
        max_length=limit_of(Meeting, "place"),
        help_text=_("A room and building, or how to join online."),
        error_messages={"required": _("Say where the meeting is, or how to join it online.")},
    )
    online = forms.BooleanField(label=_("The meeting is online"), required=False)
    purpose = _words(
        Meeting,
        "purpose",
        _("What is the meeting for?"),
        _("Say what the meeting is for."),
    )
    plan = forms.ModelChoiceField(
        label=_("Is it about a plan? (optional)"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("Not about a plan"),
        error_messages={"invalid_choice": _("Choose one of this learner's plans.")},
    )
    staff_notes = _words(
        Meeting,
        "staff_notes",
        _("Staff-only notes (optional)"),
        "",
        _("Never shown to the family."),
    )

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        field.queryset = plans  # type: ignore[attr-defined]
        field.label_from_instance = lambda plan: plan.display_type_name  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Who are you inviting?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who to invite."),
            "invalid_choice": _("Choose someone from the list."),
        },
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    """One question per invitee: attended, sent apologies, or still just invited."""

    def __init__(self, *args: Any, invitees: list[MeetingInvitee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for invitee in invitees:
            self.fields[f"invitee_{invitee.pk}"] = forms.ChoiceField(
                label=f"{invitee.name}"
                + (f" ({invitee.organisation_label})" if invitee.organisation_label else ""),
                choices=Attendance.choices,
                initial=invitee.attendance,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether %(name)s attended.") % {"name": invitee.name}
                },
            )

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("invitee_")): value for name, value in self.cleaned_data.items()
        }


class ViewsForm(forms.Form):
    whose = forms.ChoiceField(
        label=_("Whose views are these?"),
        choices=ViewsOf.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whose views these are: the child's or the family's.")},
    )
    words = _words(
        MeetingViews,
        "words",
        _("Their views"),
        _("Write the views, in the person's own words where you can."),
        _("What is going well, what is hard, and what they would like to happen."),
    )

    def __init__(self, *args: Any, family: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if family:
            # A family gives its own views: whose they are follows from who is signed in.
            del self.fields["whose"]
            self.fields["words"].label = _("Your views")


class MinutesForm(forms.Form):
    minutes = _words(
        Meeting,
        "minutes",
        _("Minutes"),
        _("Write the minutes: what was discussed and what was decided."),
    )
    agreed = forms.BooleanField(
        label=_("The minutes are agreed"),
        required=False,
        help_text=_("Once agreed, the minutes change only with a reason, which is kept."),
    )
    share_with_family = forms.BooleanField(
        label=_("Share the minutes and the agreed actions with the family"),
        required=False,
    )
    reason = LimitedCharField(
        label=_("Why are the agreed minutes being changed?"),
        max_length=2_000,
        required=False,
        help_text=_("Only if the minutes were agreed already."),
    )

    def __init__(self, *args: Any, agreed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agreed:
            del self.fields["agreed"]
        else:
            del self.fields["reason"]


class ActionForm(forms.Form):
    description = _words(
        MeetingAction,
        "description",
        _("What is to be done?"),
        _("Say what is to be done."),
    )
    owner = forms.ChoiceField(
        label=_("Who will do it?"),
        widget=forms.RadioSelect,
        help_text=_("One of the staff invited to the meeting."),
        error_messages={
            "required": _("Choose who will do it from the staff invited to the meeting."),
            "invalid_choice": _(
                "Choose who will do it from the staff invited to the meeting. Invite them first"
                " if they are not listed."
            ),
        },
    )
    due_on = DateInputField(
        label=_("Due by"),
        help_text=_("On or after the day of the meeting."),
        error_messages={"required": _("Enter the date it is due by.")},
    )

    def __init__(self, *args: Any, owners: list[MeetingInvitee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (str(invitee.user_id), f"{invitee.name}, {invitee.organisation_label}")
            for invitee in owners
        ]
