"""The rassegna as a document: one model, built once, that every renderer prints.

From the selected uscite (``search.render.snapshot.select_items``) it computes what the reference
document shows, top to bottom: the cover (logos, funding statement, header lines, project and
document titles, edition number and period, "Ultimo aggiornamento"), highlights (the items the
press office put "In evidenza", or else the outlets with the largest audience), Numero Uscite
and Audience Totale, the seven-row category table, one table per category with its subtotal,
the clippings grouped by category and date, and the data of the charts. Renderers only lay it
out; no figure is computed twice. Dates carry the year everywhere once the uscite span two
calendar years ("18 ottobre" alone would be ambiguous), and ``Document.marked`` tells every
renderer where the clippings name the topic, in any spelling the crawl counted. A walled
item's clipping (its page was a consent or pay wall, its text the feed's summary) carries
``WALLED_NOTE`` in every format. The office's decisions (``search.desk``) reach it through
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
from enrichment.mentions import topic_pattern
from enrichment.registry import Registry
from enrichment.registry_sections import Logo
from enrichment.vocabulary import CATEGORIES, italian_date, italian_number
from search.desk.decisions import NO_DECISIONS, Decision, highlighted
from search.render.snapshot import select_items, snapshot_of
from search.store import Store, StoredItem
from search.syndication import also_on

CLIPPING_MODES = ("full", "excerpt", "none")
NOT_AVAILABLE = "n.d."
"""Printed where an audience is not known (not certified), in every format."""
EXCERPT_CHARS = 400
WALLED_NOTE = "Sintesi della testata: testo integrale non disponibile."
"""Printed on the clipping of an item whose page was a consent or pay wall (contract 7): its
text is the summary the feed or the discovery result gave, not the article."""
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
    logos: tuple[Logo, ...] = ()
    """The cover's logos, in a row, in this order."""
    funding: str = ""
    """The funding statement, first line of the cover under the logos."""
    project: str = ""
    """The project's full title, above the document title."""
    variants: tuple[str, ...] = ()
    """Further spellings of the topic (registry ``topic.variants``), marked like the name."""
    edition: int | None = None
    """The edition's number when the document is an approved edition, else None."""
    edition_title: str = ""
    """What the office called the edition; may be empty."""
    period: tuple[date, date] | None = None
    """First and last day covered (an edition's period, or a selection with both ends)."""


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
    """"18 ottobre" as in the reference's tables; "18 ottobre 2023" when the document's
    uscite span two calendar years."""
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
    walled: bool = False
    """``text`` is the entry point's summary of a walled page: printed with ``WALLED_NOTE``."""


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
    highlighted: tuple[Row, ...] = ()
    """The uscite the office put "In evidenza", in document order; when there are some,
    ``highlights`` is empty."""
    mention_pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    """The topic's spellings (``enrichment.mentions.topic_pattern``); None without a topic."""

    @property
    def clipping_note(self) -> str:
        return CLIPPING_NOTES[self.options.clippings]

    @property
    def edition_label(self) -> str:
        """ "Edizione n. 3" (with " — <title>" when the office named it), or "" if none."""
        if self.options.edition is None:
            return ""
        title = self.options.edition_title
        return f"Edizione n. {self.options.edition}" + (f" — {title}" if title else "")

    @property
    def period_label(self) -> str:
        """ "dal 1 novembre al 30 novembre 2026", or "" when the document has no period."""
        if self.options.period is None:
            return ""
        return italian_period(*self.options.period)

    @property
    def running_header(self) -> str:
        """What every page but the cover carries at the top: topic, title, edition."""
        title = self.options.title
        parts = [title if self.topic in title else f"{self.topic} · {title}"]
        if self.options.edition is not None:
            parts.append(f"Edizione n. {self.options.edition}")
        return " · ".join(parts)

    def marked(self, text: str) -> tuple[tuple[str, bool], ...]:
        """``text`` cut into (piece, names the topic) pairs, in order, nothing lost: renderers
        escape every piece as they always do and emphasise the ones that are mentions."""
        if self.mention_pattern is None or not text:
            return ((text, False),) if text else ()
        pieces: list[tuple[str, bool]] = []
        start = 0
        for match in self.mention_pattern.finditer(text):
            if match.start() > start:
                pieces.append((text[start : match.start()], False))
            pieces.append((match.group(), True))
            start = match.end()
        if start < len(text):
            pieces.append((text[start:], False))
        return tuple(pieces)


def italian_period(first: date, last: date) -> str:
    """ "dal 1 novembre al 30 novembre 2026"; the year twice only when it changes."""
    if first == last:
        return f"il {italian_date(first.isoformat())}"
    start = italian_date(first.isoformat(), year=first.year != last.year)
    return f"dal {start} al {italian_date(last.isoformat())}"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first lines of an article, cut at a word, never the whole of a long text."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit // 2:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + " […]"


def _row(stored: StoredItem, clippings: str, also: tuple[str, ...], with_year: bool) -> Row:
    a = stored.article
    text = {"full": a.text, "excerpt": excerpt(a.text), "none": ""}[clippings]
    return Row(
        category=a.category,
        outlet=a.outlet,
        audience=a.audience,
        audience_label=italian_number(a.audience),
        title=a.title,
        date=a.date,
        date_label=italian_date(a.date, year=with_year) if a.date else "",
        date_long=italian_date(a.date) if a.date else "",
        journalist=a.journalist,
        url=a.url,
        city=a.city,
        language=a.language,
        mentions=a.mentions,
        source=a.source,
        text=text,
        also_on=also,
        walled=a.walled,
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
    years = {s.article.date[:4] for s in stored if s.article.date}
    rows = [
        _row(s, options.clippings, copies.get(s.article.url, ()), len(years) > 1) for s in stored
    ]
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
    chosen = highlighted(decisions)
    picked = tuple(r for r in rows if r.url in chosen)
    total = snapshot["total"]
    return Document(
        topic=topic,
        options=options,
        updated=snapshot["updated"],
        updated_label=italian_date(snapshot["updated"]) if snapshot["updated"] else "—",
        total_uscite=total["uscite"],
        total_audience=total["audience"],
        total_audience_label=italian_number(total["audience"]),
        highlights=() if picked else _top_outlets(rows, options.highlights),
        highlighted=picked,
        mention_pattern=topic_pattern(topic, options.variants) if topic.strip() else None,
        categories=tuple(sections),
        clippings=tuple(clippings),
        charts=Charts(
            weeks=_weeks(rows),
            cities=_cities(rows),
            audience=tuple((s.label, s.audience or 0) for s in sections),
        ),
        snapshot=snapshot,
    )


def _top_outlets(rows: list[Row], limit: int) -> tuple[str, ...]:
    """The ``limit`` outlets with the largest audience: the highlights when the office chose
    none."""
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
    period = _period(since, until)
    if period is not None:  # the cover prints it as the period, not as a scope line
        since = until = None
    options = document_options(
        registry,
        clippings=clippings,
        scope=scope_lines(since=since, until=until, city=city, category=category),
        period=period,
    )
    return build_document(stored, registry.topic.name, options, decisions)


def _period(since: str | None, until: str | None) -> tuple[date, date] | None:
    """A selection's (first, last) day when it has both ends, both dates."""
    if not since or not until:
        return None
    try:
        return date.fromisoformat(since[:10]), date.fromisoformat(until[:10])
    except ValueError:
        return None


def document_options(
    registry: Registry,
    *,
    clippings: str = "full",
    scope: tuple[str, ...] = (),
    edition: int | None = None,
    edition_title: str = "",
    period: tuple[date, date] | None = None,
) -> DocumentOptions:
    """The options the registry's ``document:`` section gives, for one selection (or one
    edition, whose number and period go on the cover)."""
    header = registry.document
    return DocumentOptions(
        title=header.title or f"{registry.topic.name} Rassegna Stampa",
        header_lines=header.header,
        clippings=clippings,
        highlights=header.highlights,
        scope=scope,
        logos=header.logos,
        funding=header.funding,
        project=header.project,
        variants=registry.topic.variants,
        edition=edition,
        edition_title=edition_title,
        period=period,
    )
