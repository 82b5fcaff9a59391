"""Reading an export: a CSV file through the line-numbered reader the outcome imports use
(stagewise/tabular_reading.py), a spreadsheet (XLSX) through tablib (ADR 0052). Either way the
result is the lines under the header, each with its line (the spreadsheet's row number) and its
cells by lower-case column name, or the problems that stop the file being read."""

import io
import zipfile
from datetime import date, datetime
from typing import Any

import tablib
from django.utils.translation import gettext as _

from stagewise.roll_imports.models import ColumnMapping
from stagewise.tabular_reading import Limits, Problem, Row, header_fits, read_rows

# An authority's export of 70,000 pupils with their carers is about 15 MB as CSV.
LIMITS = Limits(rows=100_000, bytes=40_000_000, other_columns_allowed=True)
XLSX_SIGNATURE = b"PK\x03\x04"


def read_export(content: bytes, mapping: ColumnMapping, problems: list[Problem]) -> list[Row]:
    if content.startswith(XLSX_SIGNATURE):
        return _read_spreadsheet(content, mapping, problems)
    return read_rows(content, mapping, problems, LIMITS)


def _read_spreadsheet(content: bytes, mapping: ColumnMapping, problems: list[Problem]) -> list[Row]:
    if len(content) > LIMITS.bytes:
        problems.append(Problem(None, "", _("The file is too big: split it into smaller files.")))
        return []
    try:
        dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        problems.append(
            Problem(
                None,
                "",
                _("The spreadsheet cannot be read: save it again as an Excel workbook (XLSX)."),
            )
        )
        return []
    header = [_cell(value).lower() for value in dataset.headers or []]
    while header and not header[-1]:
        header.pop()
    if not header:
        problems.append(
            Problem(
                1,
                "",
                _("The first row must name the columns: %(columns)s.")
                % {"columns": ", ".join(mapping.columns.values())},
            )
        )
        return []
    if not header_fits(header, mapping, problems, LIMITS):
        return []
    rows: list[Row] = []
    # tablib keeps every row of the sheet, empty ones too, so a row's place is its number.
    for number, values in enumerate(dataset, start=2):
        cells = [_cell(value) for value in values[: len(header)]]
        if not any(cells):
            continue
        if len(rows) == LIMITS.rows:
            problems.append(
                Problem(
                    number,
                    "",
                    _("A file may hold at most %(limit)s records: split it and import each part.")
                    % {"limit": f"{LIMITS.rows:,}"},
                )
            )
            break
        rows.append(Row(number, dict(zip(header, cells, strict=True))))
    return rows


def _cell(value: Any) -> str:
    """A spreadsheet cell as the text a CSV export would hold: a date as YYYY-MM-DD, a whole
    number without a decimal point (a candidate number typed as a number)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
