"""Template filters for rendering form fields, registered as builtins (settings.TEMPLATES).

`{{ field|select_options }}` writes a `<select>`'s `<option>` elements in one pass. The template
loop it replaces resolved `field.value` (the bound field's data, cleaned and prepared again) and
two `stringformat` filters for every option: for a model choice with hundreds of rows (an
authority's schools) that was most of a list page's rendering (docs/adr/0044).
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()


def _text(value: Any) -> str:
    """What `{{ value }}` would print before escaping (numbers as the locale writes them)."""
    return str(localize(value))


def _options(choices: Iterable[tuple[Any, Any]], current: str) -> Iterable[str]:
    for value, label in choices:
        if isinstance(label, list | tuple):
            # An option group: its options inside, under its name.
            yield f'<optgroup label="{conditional_escape(_text(value))}">'
            yield from _options(label, current)
            yield "</optgroup>"
            continue
        # Selected as the template compared them: both sides as text ("%s").
        selected = " selected" if f"{value}" == current else ""
        shown = conditional_escape(_text(value))
        yield f'<option value="{shown}"{selected}>{conditional_escape(_text(label))}</option>'


@register.filter
def select_options(field: BoundField) -> SafeString:
    """The field's choices as `<option>`s, the current value selected: the choices are read once
    (one query for a model choice field) and the field's value worked out once."""
    current = f"{field.value()}"
    return SafeString("".join(_options(field.field.choices, current)))  # type: ignore[attr-defined]
