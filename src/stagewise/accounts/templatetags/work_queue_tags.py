"""Template tags for the work queue on the home page."""

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString

from stagewise.accounts.work_queue import SchoolOption

register = template.Library()


@register.simple_tag
def school_options(options: Iterable[SchoolOption]) -> SafeString:
    """The school filter's <option> elements. A large authority has hundreds of schools, and a
    template loop over them, or format_html for each, cost more than the rest of the queue's
    rendering on every visit to the home page: each value and name is escaped here instead."""
    return SafeString(
        "".join(
            f'<option value="{escape(option.value)}"{" selected" if option.selected else ""}>'
            f"{escape(option.label)}</option>"
            for option in options
        )
    )
