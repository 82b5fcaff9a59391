"""Plausible values, enforced where every write passes: `full_clean` in the services.

Written text has a length limit sized to its purpose, and dates fall in a range that fits their
kind. The model fields here check both with a message that names the field and says what to fix;
the limits themselves are set on each model and explained in docs/adr/0007-plausible-values.md.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stagewise.statutory.calendar import add_months


def too_long(label: Any, limit: int, count: int) -> ValidationError:
    return ValidationError(
        _("%(field)s must be %(limit)s characters or fewer; it has %(count)s."),
        code="max_length",
        params={
            "field": capfirst(label),
            "limit": number_format(limit, force_grouping=True),
            "count": number_format(count, force_grouping=True),
        },
    )


def limit_of(model: type[models.Model], field_name: str) -> int:
    """A text field's length limit, read from the model so a form and the service agree."""
    limit = getattr(model._meta.get_field(field_name), "max_length", None)
    assert limit is not None, f"{model.__name__}.{field_name} has no length limit"
    return limit


def clean_only(instance: models.Model, *names: str) -> None:
    """full_clean's checks of the named fields alone, for a write that changes only those."""
    others = [field.name for field in instance._meta.concrete_fields if field.name not in names]
    instance.clean_fields(exclude=others)


@dataclass(frozen=True)
class DateRange:
    """How far before and after today a kind of date may plausibly be."""

    years_back: int
    # 0: the date has happened, so it cannot be after today.
    years_ahead: int


# Every date about a learner falls within their life, and no learner is 30 or older (additional
# learning provision in Wales runs to 25). Plans, reviews and targets look at most 10 years ahead.
# Staff roles may have started long before Stagewise, within a working life.
BIRTH = "birth"
HAPPENED = "happened"
PLANNED = "planned"
STAFF_ROLE = "staff_role"
RANGES = {
    BIRTH: DateRange(years_back=30, years_ahead=0),
    HAPPENED: DateRange(years_back=30, years_ahead=0),
    PLANNED: DateRange(years_back=30, years_ahead=10),
    STAFF_ROLE: DateRange(years_back=50, years_ahead=10),
}


def check_date(value: date, *, within: str, label: Any, today: date | None = None) -> None:
    """Raise a ValidationError naming the field when `value` is outside its kind's range."""
    plausible = RANGES[within]
    today = today or timezone.localdate()
    field = capfirst(label)
    if plausible.years_ahead == 0 and value > today:
        raise ValidationError(
            _("%(field)s cannot be in the future."), code="future", params={"field": field}
        )
    earliest = add_months(today, -12 * plausible.years_back)
    if value < earliest:
        raise ValidationError(
            _("%(field)s must be on or after %(earliest)s, no more than %(years)s years ago."),
            code="too_early",
            params={
                "field": field,
                "earliest": date_format(earliest, "j F Y"),
                "years": plausible.years_back,
            },
        )
    latest = add_months(today, 12 * plausible.years_ahead)
    if value > latest:
        raise ValidationError(
            _(
                "%(field)s must be on or before %(latest)s, no more than %(years)s years from"
                " today."
            ),
            code="too_late",
            params={
                "field": field,
                "latest": date_format(latest, "j F Y"),
                "years": plausible.years_ahead,
            },
        )


class DateField(models.DateField):
    """A date that must fall in the range of its kind (`within`: BIRTH, HAPPENED, PLANNED...)."""

    def __init__(self, *args: Any, within: str, **kwargs: Any) -> None:
        if within not in RANGES:
            raise ValueError(f"Unknown kind of date: {within!r}")
        self.within = within
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["within"] = self.within
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if isinstance(value, date):
            check_date(value, within=self.within, label=self.verbose_name)


class _LengthLimited:
    """Checks `max_length` in `full_clean` with a message naming the field.

    A model may name a field for the reader with `field_label(name)`, returning None to keep the
    field's own name: a plan's text section is called by its title, not "text".
    """

    name: str
    verbose_name: Any
    max_length: int | None

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)  # type: ignore[misc]
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            label_for = getattr(model_instance, "field_label", None)
            label = label_for(self.name) if label_for is not None else None
            raise too_long(label or self.verbose_name, self.max_length, len(value))

    def formfield(self, **kwargs: Any) -> Any:
        from stagewise.fields import LimitedCharField

        return super().formfield(**{"form_class": LimitedCharField, **kwargs})  # type: ignore[misc]


class TextField(_LengthLimited, models.TextField):
    """Written text of any number of lines; `max_length` is required and checked by full_clean
    (Django's own TextField leaves it to the form)."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)


class CharField(_LengthLimited, models.CharField):
    """A line of written text; the database holds `max_length` too."""
