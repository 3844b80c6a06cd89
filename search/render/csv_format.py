"""The rassegna as a spreadsheet: one row per uscita, for the office's own counts and filters.

Written for Excel as the office uses it: UTF-8 with a byte-order mark (otherwise Excel reads
"città" as mojibake) and CRLF line ends. Every cell goes through ``safety.safe_cell``, so a
crawled title such as ``=HYPERLINK(...)`` is shown, never evaluated.
"""

from __future__ import annotations

import csv
import io

from search.render.model import Document, Row
from search.render.safety import safe_cell

HEADER = (
    "categoria",
    "testata",
    "audience",
    "titolo",
    "data",
    "giornalista",
    "citta",
    "url",
    "lingua",
    "menzioni",
    "fonte",
)


def _cells(label: str, row: Row) -> list[str]:
    values = (
        label,
        row.outlet,
        "" if row.audience is None else str(row.audience),
        row.title,
        row.date,
        row.journalist,
        row.city,
        row.url,
        row.language,
        str(row.mentions),
        row.source,
    )
    return [safe_cell(value) for value in values]


def render(document: Document) -> bytes:
    """The uscite in the document's order (category, then date), under ``HEADER``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for section in document.categories:
        writer.writerows(_cells(section.label, row) for row in section.rows)
    return buffer.getvalue().encode("utf-8-sig")
