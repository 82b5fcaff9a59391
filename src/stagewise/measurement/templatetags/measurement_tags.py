from django import template

from stagewise.measurement.periods import school_year_label

register = template.Library()


@register.filter
def school_year(year: int) -> str:
    return school_year_label(year)


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)
