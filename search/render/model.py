"""The rassegna as a document: one model, built once, that every renderer prints.

From the selected uscite (``search.render.snapshot.select_items``) it computes what the reference
document shows, top to bottom: header lines, "Ultimo aggiornamento", highlights (the items the
press office put "In evidenza", or else the outlets with the largest audience), Numero Uscite
and Audience Totale, the seven-row category table, one table per category with its subtotal,
the clippings grouped by category and date, and the data of the charts. Renderers only lay it
out; no figure is computed twice. The office's decisions (``search.desk``) reach it through
``select_items`` and ``decisions``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from enrichment.cities import CITIES
from enrichment.registry import Registry
from enrichment.vocabulary import CATEGORIES, italian_date, italian_number
from search.desk.decisions import NO_DECISIONS, Decision, highlighted
from search.render.snapshot import select_items, snapshot_of
from search.store import Store, StoredItem
from search.syndication import also_on

CLIPPING_MODES = ("full", "excerpt", "none")
NOT_AVAILABLE = "n.d."
"""Printed where an audience is not known (not certified), in every format."""
EXCERPT_CHARS = 400
FOOTNOTE = (
    "* I dati di audience sono sottostimati: sono conteggiate solo le fonti certificate "
    "(Audipress per la stampa, utenti unici giornalieri Audiweb per il web, Auditel e "
    "Radiomonitor per TV e radio)."
)
CLIPPING_NOTES = {
    "full": "Ritagli: testo integrale degli articoli.",
    "excerpt": "Ritagli: solo titolo, prime righe e collegamento all'originale "
    "(nessun articolo riprodotto per intero).",
    "none": "Ritagli: non inclusi.",
}


@dataclass(frozen=True)
class DocumentOptions:
    title: str = "Rassegna Stampa"
    """Printed under the header lines, e.g. "LgNet2 Rassegna Stampa Press Tour"."""
    header_lines: tuple[str, ...] = ()
    """Fund, objectives... printed first, one per line."""
    clippings: str = "full"
    """``full`` (whole text), ``excerpt`` (title, first lines, link) or ``none``."""
    highlights: int = 6
    scope: tuple[str, ...] = ()
    """What was selected ("Città: Torino", "dal 1 ottobre 2023"), shown under the title."""


@dataclass(frozen=True)
class Row:
    """One uscita, with its printed forms."""

    category: str
    outlet: str
    audience: int | None
    audience_label: str
    title: str
    date: str | None
    date_label: str
    """"18 ottobre" as in the reference's tables."""
    date_long: str
    """"18 ottobre 2023" for the clippings."""
    journalist: str | None
    url: str
    city: str | None
    language: str | None
    mentions: int
    source: str
    text: str
    """What the clipping shows in the chosen mode: whole text, first lines, or nothing."""
    also_on: tuple[str, ...] = ()
    """Other outlets that published the same story (syndication), for "Anche su"."""


@dataclass(frozen=True)
class CategorySection:
    id: str
    label: str
    uscite: int
    audience: int | None
    audience_label: str
    rows: tuple[Row, ...]

    @property
    def anchor(self) -> str:
        return f"cat-{self.id}"


@dataclass(frozen=True)
class DayGroup:
    """Clippings of one category on one day (a date heading in the document)."""

    date: str | None
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Charts:
    weeks: tuple[tuple[str, int], ...]
    """(Monday ISO date, uscite) for every week from the first to the last item, zeros too."""
    cities: tuple[tuple[str, int], ...]
    """All 16 cities in alphabetical order, zero included, then "Altro/non indicata" if any."""
    audience: tuple[tuple[str, int], ...]
    """(category label, audience) for the seven categories in order."""


@dataclass(frozen=True)
class Document:
    topic: str
    options: DocumentOptions
    updated: str | None
    updated_label: str
    total_uscite: int
    total_audience: int | None
    total_audience_label: str
    highlights: tuple[str, ...]
    categories: tuple[CategorySection, ...]
    clippings: tuple[tuple[CategorySection, tuple[DayGroup, ...]], ...]
    charts: Charts
    footnote: str = FOOTNOTE
    snapshot: dict[str, Any] = field(default_factory=dict)
    """Contract 4 of the same selection, for the JSON and CSV renderers."""

    @property
    def clipping_note(self) -> str:
        return CLIPPING_NOTES[self.options.clippings]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first lines of an article, cut at a word, never the whole of a long text."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit // 2:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + " […]"


def _row(stored: StoredItem, clippings: str, also: tuple[str, ...]) -> Row:
    a = stored.article
    text = {"full": a.text, "excerpt": excerpt(a.text), "none": ""}[clippings]
    return Row(
        category=a.category,
        outlet=a.outlet,
        audience=a.audience,
        audience_label=italian_number(a.audience),
        title=a.title,
        date=a.date,
        date_label=italian_date(a.date, year=False) if a.date else "",
        date_long=italian_date(a.date) if a.date else "",
        journalist=a.journalist,
        url=a.url,
        city=a.city,
        language=a.language,
        mentions=a.mentions,
        source=a.source,
        text=text,
        also_on=also,
    )


def _weeks(rows: list[Row]) -> tuple[tuple[str, int], ...]:
    days = sorted(date.fromisoformat(r.date) for r in rows if r.date)
    if not days:
        return ()
    counts = Counter(d - timedelta(days=d.weekday()) for d in days)
    week, last, out = min(counts), max(counts), []
    while week <= last:
        out.append((week.isoformat(), counts.get(week, 0)))
        week += timedelta(days=7)
    return tuple(out)


def _cities(rows: list[Row]) -> tuple[tuple[str, int], ...]:
    counts = Counter(r.city for r in rows)
    cities = [(city, counts.get(city, 0)) for city in CITIES]
    other = sum(n for city, n in counts.items() if city not in CITIES)
    return tuple(cities + ([("Altro/non indicata", other)] if other else []))


def build_document(
    stored: list[StoredItem],
    topic: str,
    options: DocumentOptions,
    decisions: Mapping[str, Decision] = NO_DECISIONS,
) -> Document:
    """The document of the uscite ``stored`` (already selected, decisions applied, ordered);
    ``decisions`` say which are "In evidenza"."""
    if options.clippings not in CLIPPING_MODES:
        raise ValueError(f"clippings must be one of {', '.join(CLIPPING_MODES)}")
    snapshot = snapshot_of(stored, topic, decisions)
    copies = also_on(stored)
    rows = [_row(s, options.clippings, copies.get(s.article.url, ())) for s in stored]
    sections = []
    for entry in snapshot["categories"]:
        members = tuple(r for r in rows if r.category == entry["id"])
        sections.append(
            CategorySection(
                id=entry["id"],
                label=entry["label"],
                uscite=entry["uscite"],
                audience=entry["audience"],
                audience_label=italian_number(entry["audience"]),
                rows=members,
            )
        )
    clippings = []
    for section in sections:
        days: dict[str | None, list[Row]] = {}
        for row in section.rows:
            days.setdefault(row.date, []).append(row)
        clippings.append(
            (
                section,
                tuple(
                    DayGroup(day, italian_date(day) if day else "senza data", tuple(members))
                    for day, members in days.items()
                ),
            )
        )
    highlights = _highlights(rows, highlighted(decisions), options.highlights)
    total = snapshot["total"]
    return Document(
        topic=topic,
        options=options,
        updated=snapshot["updated"],
        updated_label=italian_date(snapshot["updated"]) if snapshot["updated"] else "—",
        total_uscite=total["uscite"],
        total_audience=total["audience"],
        total_audience_label=italian_number(total["audience"]),
        highlights=highlights,
        categories=tuple(sections),
        clippings=tuple(clippings),
        charts=Charts(
            weeks=_weeks(rows),
            cities=_cities(rows),
            audience=tuple((s.label, s.audience or 0) for s in sections),
        ),
        snapshot=snapshot,
    )


def _highlights(rows: list[Row], chosen: frozenset[str], limit: int) -> tuple[str, ...]:
    """The items the office chose ("Testata: Titolo", all of them), or else the ``limit``
    outlets with the largest audience."""
    picked = tuple(f"{r.outlet}: {r.title}" for r in rows if r.url in chosen)
    if picked:
        return picked
    audiences: dict[str, int] = {}
    for row in rows:
        if row.audience:
            audiences[row.outlet] = max(audiences.get(row.outlet, 0), row.audience)
    return tuple(sorted(audiences, key=lambda o: (-audiences[o], o))[:limit])


def scope_lines(
    *, since: str | None, until: str | None, city: str | None, category: str | None
) -> tuple[str, ...]:
    """What a filtered document covers, in words, for its title block."""
    lines = []
    if city:
        lines.append(f"Città: {city}")
    if category:
        lines.append(f"Categoria: {CATEGORIES.get(category, category)}")
    if since and until:
        lines.append(f"Periodo: dal {italian_date(since)} al {italian_date(until)}")
    elif since:
        lines.append(f"Periodo: dal {italian_date(since)}")
    elif until:
        lines.append(f"Periodo: fino al {italian_date(until)}")
    return tuple(lines)


def make_document(
    store: Store,
    registry: Registry,
    *,
    since: str | None = None,
    until: str | None = None,
    city: str | None = None,
    category: str | None = None,
    clippings: str = "full",
    decisions: Mapping[str, Decision] = NO_DECISIONS,
) -> Document:
    """The document of a registry's rassegna as stored, for the selection given, with the
    office's decisions applied."""
    stored = select_items(
        store, since=since, until=until, city=city, category=category, decisions=decisions
    )
    options = document_options(
        registry,
        clippings=clippings,
        scope=scope_lines(since=since, until=until, city=city, category=category),
    )
    return build_document(stored, registry.topic.name, options, decisions)


def document_options(
    registry: Registry, *, clippings: str = "full", scope: tuple[str, ...] = ()
) -> DocumentOptions:
    """The options the registry's ``document:`` section gives, for one selection."""
    header = registry.document
    return DocumentOptions(
        title=header.title or f"{registry.topic.name} Rassegna Stampa",
        header_lines=header.header,
        clippings=clippings,
        highlights=header.highlights,
        scope=scope,
    )
