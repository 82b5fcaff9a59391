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


# Colours for the parts of a stacked bar, in order (GOV.UK colours, each at least 3:1 against
# white, told apart also by their order and the key; the table gives every figure).
KEY_LINE = 18
SEGMENT_COLOURS = ("#505a5f", "#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#912b88", "#0b0c0c")


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    colour: str


@dataclass(frozen=True)
class StackedRow:
    label: str
    label_y: int
    y: int
    segments: tuple[Segment, ...]
    # Words in place of the bar when a figure of the row is withheld or nobody is counted.
    note: str = ""


@dataclass(frozen=True)
class StackedChart:
    title: str
    description: str
    height: int
    rows: tuple[StackedRow, ...]
    key: tuple[tuple[str, str], ...]
    key_y: int = 0
    axis_x: int = LABEL_WIDTH
    width: int = WIDTH

    @property
    def marks(self) -> SafeString:
        parts = []
        for row in self.rows:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                    self.axis_x - 6,
                    row.label_y,
                    INK,
                    row.label,
                )
            )
            for segment in row.segments:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="14" fill="{}" stroke="#ffffff"/>',
                        segment.x,
                        row.y,
                        segment.width,
                        segment.colour,
                    )
                )
            if row.note:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                        self.axis_x + 4,
                        row.label_y,
                        INK,
                        row.note,
                    )
                )
        # The key, drawn in the image (its colours are attributes, which the content security
        # policy allows, where a styled HTML key would need inline styles).
        for index, (part, colour) in enumerate(self.key):
            y = self.key_y + index * KEY_LINE
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                    self.axis_x,
                    y,
                    colour,
                    self.axis_x + 18,
                    y + 10,
                    INK,
                    part,
                )
            )
        return mark_safe("".join(parts))  # noqa: S308  (each part escaped by format_html)


def stacked_share_chart(
    *, title: str, rows: Sequence[tuple[str, Sequence[int | None]]], parts: Sequence[str]
) -> StackedChart:
    """One bar per row, 100% wide, split into its parts' shares. A row with a withheld part
    (None) has no bar, only words: a bar drawn from the parts that are shown would mislead."""
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    chart_rows = []
    y = TOP
    for label, values in rows:
        total = sum(value or 0 for value in values)
        note = ""
        segments: list[Segment] = []
        if any(value is None for value in values):
            note = str(_("Withheld: see the table"))
        elif total == 0:
            note = str(_("Nobody counted"))
        else:
            x = LABEL_WIDTH
            for index, value in enumerate(values):
                width = round(room * (value or 0) / total)
                if width:
                    segments.append(
                        Segment(x, width, SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)])
                    )
                    x += width
        chart_rows.append(StackedRow(_short(label), y + 11, y, tuple(segments), note))
        y += BAR_HEIGHT + ROW_GAP
    description = _(
        "Bar chart: for each row, one bar split into the share of its learners in each column, "
        "in the order of the key, left to right. The table that follows gives every figure."
    )
    key = tuple(
        (part, SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)]) for index, part in enumerate(parts)
    )
    return StackedChart(
        title=title,
        description=description,
        height=y + TOP + len(key) * KEY_LINE,
        rows=tuple(chart_rows),
        key=key,
        key_y=y + TOP,
    )
