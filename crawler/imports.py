"""Manual and wire items from CSV (contract 2): ``rassegna import FILE.csv``.

Social posts, TV bulletins, agency wires and print clippings cannot be crawled; a press
officer lists them in a CSV. Each row goes through the same enrichment as a crawled page and
is always part of the rassegna. The URL is the row's identity, so importing a file twice
changes nothing; a malformed row is reported with its line number and the others are kept.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crawler.errors import RassegnaError
from crawler.registry import CATEGORIES, Registry
from crawler.urls import canonical_url
from enrichment.cities import detect_city
from enrichment.journalist import format_journalist
from enrichment.language import detect_language
from enrichment.mentions import find_mentions, topic_pattern
from enrichment.records import Article
from enrichment.tags import action_areas
from search.store import Store

COLUMNS = ("url", "outlet", "category", "audience", "date", "title", "journalist", "text")
_LABELS = {label.casefold(): key for key, label in CATEGORIES.items()}


class ImportFileError(RassegnaError):
    """The file as a whole cannot be imported (unreadable, not UTF-8, wrong header)."""


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
    pattern = topic_pattern(registry.topic.name, registry.topic.variants)
    result = ImportResult()
    for line, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        try:
            article = _article(dict(zip(header, values, strict=False)), registry, pattern)
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


def _article(row: dict[str, str], registry: Registry, pattern: re.Pattern[str]) -> Article:
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    url = get("url")
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+", url):
        raise ValueError(f"url {url!r} is not an http(s) URL")
    outlet = get("outlet")
    if not outlet:
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
    elif outlet in {o.name for o in registry.outlets}:
        audience = registry.outlet(outlet).audience
    try:
        day = date.fromisoformat(get("date")[:10]).isoformat()
    except ValueError:
        raise ValueError(f"date {get('date')!r} is not an ISO date (2023-10-19)") from None
    title = get("title")
    if not title:
        raise ValueError("title is empty")
    text = get("text")
    mentions = find_mentions(pattern, title, text)
    return Article(
        url=canonical_url(url),
        outlet=outlet,
        category=category,
        audience=audience,
        title=title,
        date=day,
        date_raw=get("date"),
        journalist=format_journalist(get("journalist") or None, outlet=outlet),
        author_raw=get("journalist") or None,
        text=text,
        language=detect_language(f"{title}\n{text}", declared="it"),
        mentions=mentions.count,
        snippets=mentions.snippets,
        city=detect_city(title, text),
        tags=action_areas(title, text),
        source="import",
    )
