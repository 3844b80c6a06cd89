"""Manual and wire items from CSV (contract 2): ``rassegna import FILE.csv``.

Social posts, TV bulletins, agency wires and print clippings cannot be crawled; a press
officer lists them in a CSV. Each row goes through the same enrichment as a crawled page and
is always part of the rassegna. The URL is the row's identity, so importing a file twice
changes nothing; a malformed row is reported with its line number and the others are kept.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from crawler.errors import ImportFileError
from enrichment.enrich import enrich
from enrichment.records import Article, Extracted
from enrichment.registry import Outlet, Registry
from enrichment.vocabulary import CATEGORIES
from search.store import Store

COLUMNS = ("url", "outlet", "category", "audience", "date", "title", "journalist", "text")
_LABELS = {label.casefold(): key for key, label in CATEGORIES.items()}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    """One line per rejected row: ``FILE:LINE: reason``."""


def import_csv(path: Path, store: Store, registry: Registry, *, now: str) -> ImportResult:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from exc
    if not rows:
        raise ImportFileError(f"{path}: empty file, expected the header {','.join(COLUMNS)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            f"{path}: header lacks {', '.join(missing)}; expected {','.join(COLUMNS)}"
        )
    result = ImportResult()
    for line, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        try:
            article = _article(dict(zip(header, values, strict=False)), registry)
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
    category = get("category")
    category = _LABELS.get(category.casefold(), category.lower())
    if category not in CATEGORIES:
        raise ValueError(f"category {get('category')!r} is not one of {', '.join(CATEGORIES)}")
    audience: int | None = None
    if raw := get("audience").replace(".", "").replace(" ", ""):
        if not raw.isdigit():
            raise ValueError(f"audience {get('audience')!r} is not a whole number")
        audience = int(raw)
    try:
        day = date.fromisoformat(get("date")[:10]).isoformat()
    except ValueError:
        raise ValueError(f"date {get('date')!r} is not an ISO date (2023-10-19)") from None
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
