"""The two records that flow through the pipeline.

``Extracted`` is what a page says about itself, as found (raw values kept beside their
normal form so a wrong parse can be diagnosed). ``Article`` is the enriched item that the
store keeps and the rassegna prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Extracted:
    """Facts read off one HTML page by ``enrichment.extract.extract_page``."""

    url: str
    """The address the page was fetched from."""
    canonical_url: str | None = None
    """``<link rel=canonical>`` (or ``og:url``) resolved against ``url``, as found."""
    title: str | None = None
    """Headline without the site-name suffix ("Titolo - Testata" -> "Titolo")."""
    text: str = ""
    """Main article text only (no navigation, sidebars, related links or comments);
    paragraphs separated by ``\\n``."""
    description: str | None = None
    """The page's own summary (``og:description`` / meta description), if any."""
    date: str | None = None
    """Publication date, ISO 8601 ``YYYY-MM-DD`` as the publisher states it."""
    date_raw: str | None = None
    """The string the date was parsed from, e.g. ``"27 Ottobre 2023"``."""
    date_source: str | None = None
    """Where the date came from: ``jsonld``, ``meta``, ``trafilatura``, ``visible``, ``url``."""
    author_raw: str | None = None
    """Byline as printed on the page ("By Alice Gipponi", "Redazione")."""
    site_name: str | None = None
    """The publisher's own name for itself (``og:site_name``, JSON-LD publisher)."""
    language_declared: str | None = None
    """ISO 639-1 code from ``<html lang>`` or ``content-language``, if any."""
    attribution: str | None = None
    """On aggregator pages: the original publisher's brand ("Genova 24")."""
    attribution_url: str | None = None
    """On aggregator pages: the link to the original article."""


@dataclass(frozen=True, kw_only=True)
class Article:
    """One stored item: an enriched page, or a row imported by CSV."""

    url: str
    """Identity: the canonical URL (tracking parameters stripped)."""
    outlet: str
    """The Testata label as the rassegna prints it ("Virgilio.it – Genova 24")."""
    category: str
    """One of the seven registry categories (``quotidiani``...)."""
    audience: int | None = None
    title: str = ""
    date: str | None = None
    """ISO ``YYYY-MM-DD``."""
    date_raw: str | None = None
    journalist: str | None = None
    """Byline as the rassegna prints it ("A. Gipponi"); ``None`` for editorial bylines."""
    author_raw: str | None = None
    text: str = ""
    language: str | None = None
    """ISO 639-1."""
    mentions: int = 0
    """How many times the topic is named in the title and main text."""
    snippets: tuple[str, ...] = ()
    """A few words around each mention, to see why an item matched."""
    city: str | None = None
    """One of the 16 network cities, Italian name."""
    tags: tuple[str, ...] = ()
    """Action areas: ``impegno civico``, ``presa in carico``, ``housing``."""
    source: str = "crawl"
    """``crawl`` or ``import``."""
    site_name: str | None = None
    fetched_url: str | None = None
    """The address actually fetched, when it differs from ``url``."""
    extra: dict[str, str] = field(default_factory=dict)
    """Diagnostics worth keeping (date source, attribution URL...)."""
    walled: bool = False
    """The outlet served a consent, cookie or pay wall instead of the article: ``title`` and
    ``text`` are what its feed or a discovery result said, never the wall's own text."""
    new_outlet: bool = False
    """Found by discovery on a site the registry does not list yet: ``outlet`` is the site's
    own name and ``category`` the default, until the office classifies the outlet."""
