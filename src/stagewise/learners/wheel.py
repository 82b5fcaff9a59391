"""Geometry of the GIRFEC wellbeing wheel: eight equal segments, one per SHANARRI indicator.

The wheel is drawn as inline SVG; the same information is always given as a table beside it, so
colour is never the only way to read a level.
"""

import math
from dataclasses import dataclass

from stagewise.learners.models import WellbeingLevel

# Dark enough that the white mark in each segment has at least 4.5:1 contrast.
LEVEL_COLOURS = {
    WellbeingLevel.STRENGTH: "#00703c",
    WellbeingLevel.NO_CONCERN: "#1d70b8",
    WellbeingLevel.SOME_CONCERN: "#8f4c00",
    WellbeingLevel.SIGNIFICANT_CONCERN: "#aa2a16",
}
# Short marks printed in each segment so the level can be read without colour.
LEVEL_MARKS = {
    WellbeingLevel.STRENGTH: "++",
    WellbeingLevel.NO_CONCERN: "✓",
    WellbeingLevel.SOME_CONCERN: "!",
    WellbeingLevel.SIGNIFICANT_CONCERN: "!!",
}

# The drawing is wider than the wheel so that side labels such as "Responsible" fit.
CENTRE_X = 230.0
CENTRE_Y = 160.0
OUTER_RADIUS = 120.0
INNER_RADIUS = 40.0
LABEL_RADIUS = 142.0
MARK_RADIUS = 82.0


@dataclass(frozen=True)
class WheelSegment:
    indicator: str
    label: str
    level_label: str
    path: str
    colour: str
    mark: str
    label_x: float
    label_y: float
    mark_x: float
    mark_y: float
    anchor: str


def _point(radius: float, angle: float) -> tuple[float, float]:
    return (
        round(CENTRE_X + radius * math.sin(angle), 2),
        round(CENTRE_Y - radius * math.cos(angle), 2),
    )


def wheel_segments(ratings: list[tuple[str, str, str, str]]) -> list[WheelSegment]:
    """ratings: (indicator, label, level, level label) in wheel order, clockwise from the top."""
    count = len(ratings)
    step = 2 * math.pi / count
    segments = []
    for index, (indicator, label, level, level_label) in enumerate(ratings):
        start, end = index * step, (index + 1) * step
        outer_start, outer_end = _point(OUTER_RADIUS, start), _point(OUTER_RADIUS, end)
        inner_start, inner_end = _point(INNER_RADIUS, start), _point(INNER_RADIUS, end)
        path = (
            f"M {inner_start[0]} {inner_start[1]} L {outer_start[0]} {outer_start[1]} "
            f"A {OUTER_RADIUS} {OUTER_RADIUS} 0 0 1 {outer_end[0]} {outer_end[1]} "
            f"L {inner_end[0]} {inner_end[1]} "
            f"A {INNER_RADIUS} {INNER_RADIUS} 0 0 0 {inner_start[0]} {inner_start[1]} Z"
        )
        middle = (start + end) / 2
        label_x, label_y = _point(LABEL_RADIUS, middle)
        mark_x, mark_y = _point(MARK_RADIUS, middle)
        horizontal = math.sin(middle)
        anchor = "middle" if abs(horizontal) < 0.3 else ("start" if horizontal > 0 else "end")
        segments.append(
            WheelSegment(
                indicator=indicator,
                label=label,
                level_label=level_label,
                path=path,
                colour=LEVEL_COLOURS[WellbeingLevel(level)],
                mark=LEVEL_MARKS[WellbeingLevel(level)],
                label_x=label_x,
                label_y=label_y,
                mark_x=mark_x,
                mark_y=mark_y,
                anchor=anchor,
            )
        )
    return segments
