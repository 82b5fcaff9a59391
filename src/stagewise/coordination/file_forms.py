"""The form that attaches a file to a draft request for assistance. What makes a file acceptable
(its type by content, its size) is checked by the service, so every caller is held to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.coordination.file_types import ACCEPTED_SUFFIXES


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        # An empty file is refused by the service, with the file's name in the message.
        allow_empty_file=True,
        error_messages={
            "required": _("Choose a file to attach."),
            "invalid": _("The file did not arrive. Choose it again."),
            "missing": _("The file did not arrive. Choose it again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
