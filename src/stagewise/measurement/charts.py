"""Bar charts of a measure's figures, drawn as SVG on the server: for each row (a school year, a
school, an authority, a value of a breakdown) one bar for learners with additional support needs
and one for those without. The geometry is worked out here; the template only draws it.

A chart is an image with a title and a description (role="img"); the table beside it carries
every figure, so the chart adds nothing a screen reader user misses. A withheld figure or one
with no data has no bar but its words, never a bar of zero that could be read as a figure.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stagewise.measurement.dashboards import Pair
from stagewise.measurement.models import Unit

WIDTH = 640
LABEL_WIDTH = 200
VALUE_ROOM = 70
BAR_HEIGHT = 14
ROW_GAP = 12
TOP = 8
LABEL_CHARACTERS = 30
# GOV.UK colours: text, and the two series (each at least 3:1 against white, WCAG 1.4.11).
INK = "#0b0c0c"
SERIES_COLOURS = {"with": "#1d70b8", "without": "#505a5f"}


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    series: str  # "with" or "without"
    text: str
    text_x: int

    @property
    def text_y(self) -> int:
        return self.y + 10


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    height: int
    rows: tuple[ChartRow, ...]
    axis_x: int = LABEL_WIDTH
    width: int = WIDTH

    @property
    def label_x(self) -> int:
        return self.axis_x - 6

    @property
    def marks(self) -> SafeString:
        """Each row's label, bars and figures as SVG elements: written here, not in the
        template, because an authority's comparison has hundreds of rows."""
        parts = []
        for row in self.rows:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                    self.label_x,
                    row.label_y,
                    INK,
                    row.label,
                )
            )
            for bar in row.bars:
                if bar.width:
                    parts.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="12" fill="{}"/>',
                            self.axis_x,
                            bar.y,
                            bar.width,
                            SERIES_COLOURS[bar.series],
                        )
                    )
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                        bar.text_x,
                        bar.text_y,
                        INK,
                        bar.text,
                    )
                )
        return mark_safe("".join(parts))  # noqa: S308  (each part escaped by format_html)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(
    *, title: str, rows: Sequence[tuple[str, Pair]], unit: str, higher_is_better: bool
) -> Chart:
    shown = [
        value.value
        for _label, pair in rows
        for value in (pair.with_needs, pair.without_needs)
        if value.value is not None
    ]
    top = Decimal(100) if unit == Unit.PERCENTAGE else max(shown, default=Decimal(1)) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    chart_rows = []
    y = TOP
    for label, pair in rows:
        bars = []
        for series, value in (("with", pair.with_needs), ("without", pair.without_needs)):
            width = int(room * value.value / top) if value.value is not None else 0
            bars.append(
                Bar(
                    y=y,
                    width=max(width, 0),
                    series=series,
                    text=value.text,
                    text_x=LABEL_WIDTH + max(width, 0) + 4,
                )
            )
            y += BAR_HEIGHT
        chart_rows.append(ChartRow(_short(label), y - BAR_HEIGHT + 3, tuple(bars)))
        y += ROW_GAP
    better = _("Higher is better.") if higher_is_better else _("Lower is better.")
    description = _(
        "Bar chart: for each row, the figure for learners with additional support needs (dark "
        "blue, upper bar) and without (grey, lower bar). %(better)s The table that follows gives "
        "every figure."
    ) % {"better": better}
    return Chart(title=title, description=description, height=y + TOP, rows=tuple(chart_rows))
