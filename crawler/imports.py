"""Manual and wire items from a spreadsheet (contract 2): ``rassegna import FILE``.

Social posts, TV bulletins, agency wires and print clippings cannot be crawled; a press
officer lists them in a spreadsheet. Each row goes through the same enrichment as a crawled
page and is always part of the rassegna. The URL is the row's identity, so importing a file
twice changes nothing; a malformed row is reported with its line number and the others are kept.

An Italian office's files are read as they come: CSV saved by Excel (semicolons, Windows-1252,
``19/10/2023`` dates, Italian column names) as well as contract 2's UTF-8 CSV with commas, and
XLSX workbooks. A row that leaves a field empty keeps what the store has for that URL: a
re-import of a partial sheet corrects the fields it gives and erases none.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from crawler.errors import ImportFileError
from enrichment.enrich import enrich
from enrichment.records import Article, Extracted
from enrichment.registry import Outlet, Registry
from enrichment.urls import canonical_url
from enrichment.vocabulary import CATEGORIES
from search.store import Store

COLUMNS = ("url", "outlet", "category", "audience", "date", "title", "journalist", "text")
ALIASES = {
    "testata": "outlet",
    "categoria": "category",
    "data": "date",
    "titolo": "title",
    "giornalista": "journalist",
    "testo": "text",
}
"""Italian column names an office's own sheet may use, and the column each stands for."""
TEMPLATE_ROW = {
    "url": "https://www.gazzettadiesempio.test/2023/10/19/rete-lgnet2-sportello-comune/",
    "outlet": "Gazzetta di Esempio",
    "category": "quotidiani",
    "audience": "12000",
    "date": "19/10/2023",
    "title": "Il Comune entra nella rete LgNet2: nuovo sportello per i nuovi cittadini",
    "journalist": "Maria Rossi",
    "text": "Sintesi: il Comune aderisce alla rete LgNet2 e apre uno sportello unico.",
}
"""The template's example row: a fictional outlet, valid as it is."""
_LABELS = {label.casefold(): key for key, label in CATEGORIES.items()}
_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_DELIMITERS = (",", ";", "\t")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    """One line per rejected row: ``FILE:LINE: reason``."""


def import_csv(path: Path, store: Store, registry: Registry, *, now: str) -> ImportResult:
    """Import a CSV or (by its extension) an XLSX file; the name is contract 2's."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    if not rows:
        raise ImportFileError(f"{path}: empty file, expected the header {','.join(COLUMNS)}")
    header = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            f"{path}: header lacks {', '.join(missing)}; expected {','.join(COLUMNS)}"
        )
    result = ImportResult()
    for line, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values, strict=False))
        try:
            article = _article(_with_stored(row, store), registry)
        except ValueError as exc:
            result.errors.append(f"{path}:{line}: {exc}")
            continue
        outcome = store.upsert(article, now=now)
        if outcome.created:
            result.created += 1
        elif outcome.changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def write_template(path: Path) -> None:
    """An empty sheet to fill in: the header and one example row, CSV or XLSX by extension.

    The CSV is the one Italian Excel opens in columns (semicolons, UTF-8 with its mark).
    """
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            assert sheet is not None  # a new workbook always has one sheet
            sheet.title = "Rassegna"
            sheet.append(list(COLUMNS))
            example: list[object] = [TEMPLATE_ROW[c] for c in COLUMNS]
            example[COLUMNS.index("date")] = parse_day(TEMPLATE_ROW["date"])
            example[COLUMNS.index("audience")] = int(TEMPLATE_ROW["audience"])
            sheet.append(example)
            book.save(path)
        else:
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow(COLUMNS)
                writer.writerow([TEMPLATE_ROW[c] for c in COLUMNS])
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def parse_category(value: str) -> str:
    """A category id from its id or its label, any case; ``ValueError`` when neither."""
    key = _LABELS.get(value.strip().casefold(), value.strip().lower())
    if key not in CATEGORIES:
        raise ValueError(f"category {value!r} is not one of {', '.join(CATEGORIES)}")
    return key


def parse_day(value: str) -> str:
    """An ISO date from ``2023-10-19`` (a timestamp too) or the Italian ``19/10/2023``
    (``19-10-2023``, ``19.10.23``); ``ValueError`` otherwise."""
    text = value.strip()
    if match := _DAY.match(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year + 2000 if year < 100 else year, month, day).isoformat()
        except ValueError:
            pass
    else:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            pass
    raise ValueError(f"date {value!r} is not a date like 19/10/2023 or 2023-10-19")


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path}: not UTF-8 (byte {exc.start}) nor Windows-1252; save it as UTF-8"
            ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise ImportFileError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        return [list(_cells(row)) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cells(row: tuple[object, ...]) -> Iterator[str]:
    """A sheet row as the text a CSV would hold: dates as ISO, whole numbers without ``.0``."""
    for value in row:
        if value is None:
            yield ""
        elif isinstance(value, datetime | date):
            yield value.isoformat()[:10]
        elif isinstance(value, float) and value.is_integer():
            yield str(int(value))
        else:
            yield str(value)


def _with_stored(row: dict[str, str], store: Store) -> dict[str, str]:
    """The row with its empty fields taken from the item already stored under its URL."""
    url = (row.get("url") or "").strip()
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+", url):
        return row
    stored = store.get(canonical_url(url))
    if stored is None:
        return row
    a = stored.article
    known = {
        "outlet": a.outlet,
        "category": a.category,
        "audience": "" if a.audience is None else str(a.audience),
        "date": a.date or "",
        "title": a.title,
        "journalist": a.author_raw or a.journalist or "",
        "text": a.text,
    }
    return {**known, **{k: v for k, v in row.items() if (v or "").strip()}}


def _article(row: dict[str, str], registry: Registry) -> Article:
    """The row as the page the crawl would have extracted, through the crawl's enrichment."""

    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    url = get("url")
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+", url):
        raise ValueError(f"url {url!r} is not an http(s) URL")
    name = get("outlet")
    if not name:
        raise ValueError("outlet is empty")
    category = parse_category(get("category"))
    audience: int | None = None
    if raw := get("audience").replace(".", "").replace(" ", ""):
        if not raw.isdigit():
            raise ValueError(f"audience {get('audience')!r} is not a whole number")
        audience = int(raw)
    day = parse_day(get("date"))
    title = get("title")
    if not title:
        raise ValueError("title is empty")
    page = Extracted(
        url=url,
        title=title,
        text=get("text"),
        date=day,
        date_raw=get("date"),
        author_raw=get("journalist") or None,
    )
    return enrich(
        page, _outlet(registry, name, category, audience), registry.topic, source="import"
    )


def _outlet(registry: Registry, name: str, category: str, audience: int | None) -> Outlet:
    """The row's outlet: the registry's (its audience, home city and language as defaults) with
    the row's category and audience, or one made for the row; rows are Italian unless the
    registry says otherwise."""
    try:
        known = registry.outlet(name)
    except KeyError:
        return Outlet(name=name, category=category, audience=audience, language="it")
    return replace(
        known,
        category=category,
        audience=audience if audience is not None else known.audience,
        language=known.language or "it",
    )
