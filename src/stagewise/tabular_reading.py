"""Reading an imported CSV file (outcome records, ADR 0023; a school's roll, ADR 0052): bytes
to text, text to lines of cells under the header, every problem with its line. A line is where
its record starts in the file, as an editor numbers it (a quoted value may run over several
lines); blank lines are skipped but still counted."""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext as _

# A school's or an authority's year of one kind of outcome record is a few thousand lines; a file
# much bigger is a mistake, and would hold the page for minutes. Callers with bigger files (an
# authority's roll) pass their own limits.
MAX_ROWS = 20_000
MAX_BYTES = 5_000_000


class Columns(Protocol):
    """What a file's header is checked against: its column names (lower case) and its name."""

    @property
    def headers(self) -> Sequence[str]: ...

    @property
    def label(self) -> "Promise | str": ...


@dataclass(frozen=True)
class Limits:
    rows: int = MAX_ROWS
    bytes: int = MAX_BYTES
    # An export of a school's information system has many more columns than are imported: the
    # others are left alone rather than refused.
    other_columns_allowed: bool = False


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: line None is the whole file; column "" the whole line."""

    line: int | None
    column: str
    message: str


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    record: Any = None


def read_rows(
    file: bytes | IO[bytes], layout: Columns, problems: list[Problem], limits: Limits = Limits()
) -> list[Row]:
    """The file's lines under its header, each as cells by column; problems listed as found."""
    text = _decoded(file, problems, limits)
    return _rows(text, layout, problems, limits) if text is not None else []


def _decoded(file: bytes | IO[bytes], problems: list[Problem], limits: Limits) -> str | None:
    data = file if isinstance(file, bytes) else file.read(limits.bytes + 1)
    if len(data) > limits.bytes:
        problems.append(
            Problem(
                None,
                "",
                _(
                    "The file is bigger than %(size)s MB: split it into smaller files and "
                    "import each."
                )
                % {"size": limits.bytes // 1_000_000},
            )
        )
        return None
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Problem(
                None,
                "",
                _("This is not a CSV file: choose the file saved as CSV UTF-8 (comma delimited)."),
            )
        )
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Problem(
                None,
                "",
                _(
                    "The file is saved as Unicode (UTF-16) text: save it again as CSV UTF-8 "
                    "(comma delimited)."
                ),
            )
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            problems.append(
                Problem(
                    number,
                    "",
                    _(
                        "This line has characters that are not UTF-8 text: save the file as "
                        "CSV UTF-8 (comma delimited)."
                    ),
                )
            )
    return None


def _records(text: str) -> Iterator[tuple[int, list[str] | None]]:
    """Each record of the CSV text with the line it starts on; None for a line that cannot be
    read as CSV (after which nothing more can be)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, None
            return
        yield line, values


def _rows(text: str, layout: Columns, problems: list[Problem], limits: Limits) -> list[Row]:
    records = _records(text)
    first = next(records, None)
    if first is None or first[1] is None or not any(value.strip() for value in first[1]):
        problems.append(
            Problem(
                1,
                "",
                _("The first line must name the columns: %(columns)s.")
                % {"columns": ",".join(layout.headers)},
            )
        )
        return []
    header = _trimmed([value.strip().lower() for value in first[1]])
    if not header_fits(header, layout, problems, limits):
        return []
    rows: list[Row] = []
    for line, values in records:
        if values is None:
            problems.append(
                Problem(
                    line,
                    "",
                    _(
                        "This line cannot be read as CSV (a quote left open, or a value too "
                        "long): nothing after it could be read."
                    ),
                )
            )
            break
        cells = _trimmed([value.strip() for value in values])
        if not cells:
            continue
        if len(rows) == limits.rows:
            problems.append(
                Problem(
                    line,
                    "",
                    _("A file may hold at most %(limit)s records: split it and import each part.")
                    % {"limit": f"{limits.rows:,}"},
                )
            )
            break
        if len(cells) > len(header):
            problems.append(
                Problem(
                    line,
                    "",
                    _(
                        "This line has %(found)s values but the header names %(expected)s "
                        "columns: remove the extra values, or put commas inside quotes."
                    )
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        # A spreadsheet leaves empty cells at the end of a line unwritten: they are empty.
        cells += [""] * (len(header) - len(cells))
        rows.append(Row(line, dict(zip(header, cells, strict=True))))
    return rows


def _trimmed(values: list[str]) -> list[str]:
    """Without the empty cells at the end, which spreadsheets add for formatted columns."""
    while values and not values[-1]:
        values.pop()
    return values


def header_fits(
    header: list[str], layout: Columns, problems: list[Problem], limits: Limits
) -> bool:
    if len(header) == 1 and any(separator in header[0] for separator in ";\t"):
        # A spreadsheet set up for another country separates values with semicolons or tabs.
        problems.append(
            Problem(
                1,
                "",
                _(
                    "The values are separated by semicolons or tabs, not commas: save the file "
                    "as CSV UTF-8 (comma delimited)."
                ),
            )
        )
        return False
    expected = set(layout.headers)
    missing = [name for name in layout.headers if name not in header]
    unknown = [name for name in header if name not in expected and not limits.other_columns_allowed]
    repeated = sorted(
        {
            name
            for name in header
            if header.count(name) > 1 and (name in expected or not limits.other_columns_allowed)
        }
    )
    for name in missing:
        problems.append(
            Problem(1, name, _("The header has no %(column)s column: add it.") % {"column": name})
        )
    for name in unknown:
        problems.append(
            Problem(
                1,
                name,
                _(
                    "%(kind)s files have no %(column)s column: remove it, or choose another "
                    "kind. The columns are %(columns)s."
                )
                % {
                    "kind": layout.label,
                    "column": repr(name) if name else _("unnamed"),
                    "columns": ",".join(layout.headers),
                },
            )
        )
    for name in repeated:
        problems.append(
            Problem(1, name, _("The header names %(column)s twice.") % {"column": name})
        )
    return not (missing or unknown or repeated)
