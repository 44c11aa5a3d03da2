"""Tables of plain values for a terminal, a spreadsheet and a page.

Each table is its column names and its rows (a sequence of values per row, None where there is
nothing). Exports are safe to open: CSV cells that a spreadsheet would run as a formula are
neutralised, and HTML escapes every bit of the person's text. Pure Python: `followup compare`
prints without pandas, and `compare.py` hands its DataFrames here as rows.
"""

from __future__ import annotations

import csv
import html as html_text
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from followup.core import formats

#: How a page shows these tables (reports, the index and the comparison in the app): text to the
#: left, numbers to the right (a notebook would right-align every cell), light borders.
TABLE_CSS = """\
table.followup-table { border-collapse: collapse; margin: 0.5em 0 1em; max-width: 100%; }
table.followup-table th, table.followup-table td {
  border: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left !important;
  vertical-align: top; overflow-wrap: break-word; }
table.followup-table th { background: #f3f5f7; }
table.followup-table td.number { text-align: right !important; white-space: nowrap; }
"""

#: Characters that make a spreadsheet treat a CSV cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: Any) -> str:
    """A value as a table shows it: nothing for None, numbers with thousands separators."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return formats.number(value)
    return str(value)


#: How many characters of a cell a terminal table shows.
CLIP = 40


def clip(text: str, width: int = CLIP) -> str:
    """One line of at most `width` characters (user text can be long)."""
    if len(text) <= width and "\n" not in text:
        return text
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A table for a terminal: right-aligned columns, user text cut to keep lines readable."""
    rows = list(rows)
    if not rows:
        return "(nothing yet)"
    shown = [
        [str(name), *_column(values)]
        for name, values in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    line = "  ".join(f"{{:>{max(map(len, column))}}}" for column in shown).format
    return "\n".join(line(*cells).rstrip() for cells in zip(*shown, strict=True))


def _column(values: Iterable[Any]) -> list[str]:
    # Most cells are short text, shown as they are: only the others need `cell` and `clip`.
    return [
        v if type(v) is str and len(v) <= CLIP and "\n" not in v else clip(cell(v)) for v in values
    ]


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with formula-looking text neutralised (numbers are left as numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(str(c)) for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return neutralise(value)


def html(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    table_id: str = "",
    links: Mapping[int, str] | None = None,
    link_column: str = "company",
) -> str:
    """An HTML table with every header and cell escaped.

    `links` maps row positions to hrefs for `link_column` (the hrefs are escaped too).
    """
    escape = html_text.escape
    attr = f' id="{escape(table_id)}"' if table_id else ""
    head = "".join(f"<th>{escape(str(c).replace('_', ' '))}</th>" for c in columns)
    linked = list(columns).index(link_column) if link_column in columns else -1
    body = []
    for position, row in enumerate(rows):
        cells = []
        for i, value in enumerate(row):
            shown = escape(cell(value))
            if i == linked and links and position in links:
                shown = f'<a href="{escape(links[position])}">{shown}</a>'
            cells.append(f"<td>{shown}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="followup-table"{attr}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
