"""What the registry check found, outlet by outlet: plain records the report and the fix read."""

from __future__ import annotations

from dataclasses import dataclass

REGISTRY_KEYS = {"feed": "feeds", "sitemap": "sitemaps", "listing": "pages", "search": "search"}
"""The registry list that holds each kind of entry point."""


@dataclass(frozen=True)
class EntryCheck:
    """One entry point as the site answered it."""

    kind: str
    """``feed``, ``sitemap``, ``listing`` or ``search``."""
    url: str
    """The address fetched; for a search, the template filled with the topic's query."""
    entry: str
    """The registry's value: the URL, or the search template with ``{query}``."""
    status: int | None
    """The final HTTP status after redirects; None when the site did not answer."""
    ok: bool
    articles: int | None
    """Article links it lists (a sitemap index: those of the child sitemaps read)."""
    reason: str | None = None
    """Why it is not usable, in Italian; None when ``ok``."""
    final_url: str | None = None
    """Where redirects led, when that is not ``url``."""


@dataclass(frozen=True)
class Suggestion:
    """A working entry point the registry does not have."""

    kind: str
    url: str
    """As fetched (a search: filled with the query)."""
    entry: str
    """What to write in the registry (a search: the template)."""
    articles: int | None
    found: str
    """Where it was found, in Italian ("annunciato nella home page", "in robots.txt", ...)."""
    replaces: str | None = None
    """The registry entry it stands for, when it is the same path on the host's other form."""


@dataclass(frozen=True)
class OutletCheck:
    outlet: str
    entry_points: tuple[EntryCheck, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    cms: str | None = None
    """The site's CMS when recognisable (meta generator, a WordPress REST root)."""
    notes: tuple[str, ...] = ()
    """Facts about the hosts in Italian: one does not answer, or redirects to the other form."""
    closed: str | None = None
    """The outlet's ``closed`` date: not checked."""

    @property
    def broken(self) -> tuple[EntryCheck, ...]:
        return tuple(e for e in self.entry_points if not e.ok)
