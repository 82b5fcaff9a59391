"""{% submission_key %}: beside {% csrf_token %} in every POST form (a built-in tag, no load)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from stagewise.submissions.keys import SUBMISSION_KEY_FIELD, submission_key_new

register = template.Library()


@register.simple_tag
def submission_key() -> SafeString:
    """A new key each time a form is drawn, even the same form shown again with its errors: two
    forms on one page, or a corrected form, are different submissions. Made here, not stored:
    a key costs nothing until what its form sent is saved."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', SUBMISSION_KEY_FIELD, submission_key_new()
    )
