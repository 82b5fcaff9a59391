"""Dates in a received transfer document are ISO text (the schema's `date` and `date-time`):
read back as dates, so a page shows them as it shows any other, in its language."""

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def as_date(value: object) -> object:
    """The date or time the ISO text names; anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return value
