"""Single figures: a count shown or withheld, and percentages and rates that follow their counts."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

SMALL_COUNT_LIMIT = 5

# What a page prints under every table whose figures passed through this package.
DISCLOSURE_STATEMENT = _(
    "Counts of 1 to 4 are not shown, nor any figure from which one could be worked out. Other "
    "counts, including 0, are exact. Percentages are rounded to the nearest whole number and are "
    "not shown when a count they are worked from is not shown."
)
# The one mark a page prints for any withheld figure (see the package docstring).
WITHHELD_MARK = _("[c]")
WITHHELD_MEANING = _("[c] means the figure is not shown so that nobody can be identified.")


class Withheld(StrEnum):
    SHOWN = ""
    SMALL = "small"  # from 1 to 4
    SECONDARY = "secondary"  # withheld so that a small count cannot be worked back


@dataclass(frozen=True)
class Figure:
    """A figure as it may be shown: its value, or why it is withheld (then `value` is None)."""

    value: int | None
    withheld: Withheld = Withheld.SHOWN

    @property
    def shown(self) -> bool:
        return self.withheld is Withheld.SHOWN


def is_small(count: int) -> bool:
    return 0 < count < SMALL_COUNT_LIMIT


def shown(value: int | None) -> Figure:
    """A figure inside the authority's scope, shown as it is."""
    return Figure(value)


def small_count(count: int) -> Figure:
    """A count on its own (no total or other figure it adds up with): withheld from 1 to 4."""
    if is_small(count):
        return Figure(None, Withheld.SMALL)
    return Figure(count)


def percentage(part: int, whole: int) -> int | None:
    """`part` as a percentage of `whole`, to the nearest whole number; None when `whole` is 0."""
    if whole == 0:
        return None
    return round(100 * part / whole)


def protected_share(part: int, whole: int) -> Figure:
    """`part` as a percentage of `whole` where neither count is published: withheld when `whole`,
    `part` or `whole - part` is from 1 to 4 (with the whole shown, the share gives both back)."""
    if is_small(whole) or is_small(part) or is_small(whole - part):
        return Figure(None, Withheld.SMALL)
    return Figure(percentage(part, whole))


def protected_percentage(part: Figure, whole: Figure) -> Figure:
    """The percentage one published figure is of another (a cell of its row total, say): shown
    only when both are shown, so it tells nobody more than the two figures do."""
    if not part.shown or not whole.shown:
        return Figure(None, Withheld.SECONDARY)
    assert part.value is not None and whole.value is not None
    return Figure(percentage(part.value, whole.value))


def protected_rate(numerator: int, denominator: int, *, learners: Figure | int) -> Figure:
    """A rate about a group of learners (sessions attended of sessions possible, say) as a whole
    percentage: withheld when the number of learners it is about is withheld. Pass the learners'
    published Figure when the count is in a protected table, so a secondary withholding holds."""
    count = small_count(learners) if isinstance(learners, int) else learners
    if not count.shown:
        return Figure(None, count.withheld)
    return Figure(percentage(numerator, denominator))


def protected_per_thousand(part: Figure, whole: Figure) -> Figure:
    """`part` per 1,000 of `whole`, both published figures, to the nearest whole number: shown
    only when both are (so it tells nobody more than the two figures do)."""
    if not part.shown or not whole.shown:
        return Figure(None, Withheld.SECONDARY)
    assert part.value is not None and whole.value is not None
    if whole.value == 0:
        return Figure(None)
    return Figure(round(1000 * part.value / whole.value))
