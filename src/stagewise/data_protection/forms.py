from django import forms
from django.utils.translation import gettext_lazy as _


class LearnerSearchForm(forms.Form):
    words = forms.CharField(
        label=_("Name or learner identifier"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Enter no more than 100 characters.")},
    )


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have reviewed this record and confirm that it is to be erased"),
        required=True,
        error_messages={
            "required": _("Confirm that the learner's record is to be erased, or cancel.")
        },
    )


class RecordsErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have reviewed these records and confirm that they are to be erased"),
        required=True,
        error_messages={"required": _("Confirm that these records are to be erased, or cancel.")},
    )
