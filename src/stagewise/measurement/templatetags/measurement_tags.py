from django import template

from stagewise.measurement.charts import figure_text
from stagewise.measurement.dashboards import Value
from stagewise.measurement.periods import school_year_label

register = template.Library()


@register.filter
def figure(value: Value, unit: str) -> str:
    """A figure as words: "87.2%", "withheld" or "no data"."""
    return figure_text(value, unit)


@register.filter
def school_year(year: int) -> str:
    return school_year_label(year)


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)
