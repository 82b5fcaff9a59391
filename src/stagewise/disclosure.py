"""Disclosure control for figures that leave an authority's scope: counts from 1 to 4 are withheld
so that nobody can be picked out, and so is any figure from which a withheld count could be worked
back.

- `small_count(n)`: a count of 1 to 4 is withheld ("fewer than 5"); 0 and 5 or more are shown.
- `protected_row(total, parts)`: a total and the counts it is made of (a breakdown that sums to it).
  Each is withheld if small; and if the total is shown and exactly one part is withheld, that part
  would be the total minus the others, so the smallest other non-zero part is withheld too
  ("secondary suppression", marked apart from "fewer than 5" because it may be 5 or more).
- `protected_share(part, whole)`: the percentage `part` is of `whole`, withheld when `whole`, `part`
  or `whole - part` is from 1 to 4 (with the whole shown, the share gives both back).

What this does not do: protect totals across rows (a table's column total would give back a single
withheld cell in that column), so tables of protected rows show no column total; and it does not
round. A reader who knows which withheld cell is the secondary one can, in one case (the two
withheld cells summing to 6), tell the small one was 1; the rule is kept simple on purpose and
this is recorded for the measurement work that will replace it.

`accounts.selectors.suppress` (the home page's authority figures) also rounds to 5 and withholds 0;
it predates this module.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

SMALL_COUNT_LIMIT = 5


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
    if is_small(count):
        return Figure(None, Withheld.SMALL)
    return Figure(count)


def protected_row(total: int, parts: Sequence[int]) -> tuple[Figure, list[Figure]]:
    """The total and its parts (which sum to it), each withheld if small, and one more part when
    a single withheld part could be worked out from the total and the others."""
    total_figure = small_count(total)
    figures = [small_count(part) for part in parts]
    withheld = [index for index, figure in enumerate(figures) if not figure.shown]
    if total_figure.shown and len(withheld) == 1:
        candidates = [
            (part, index)
            for index, part in enumerate(parts)
            if index != withheld[0] and part > 0 and figures[index].shown
        ]
        # The parts sum to a total of 5 or more, so with one part of 1 to 4 another is non-zero.
        if candidates:
            _, secondary = min(candidates)
            figures[secondary] = Figure(None, Withheld.SECONDARY)
    return total_figure, figures


def protected_share(part: int, whole: int) -> Figure:
    """`part` as a whole-number percentage of `whole`; None (shown) when `whole` is 0."""
    if is_small(whole) or is_small(part) or is_small(whole - part):
        return Figure(None, Withheld.SMALL)
    return Figure(percentage(part, whole))


def percentage(part: int, whole: int) -> int | None:
    if whole == 0:
        return None
    return round(100 * part / whole)
