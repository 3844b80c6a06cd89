"""Finding a Google News result's original on the publisher's own site, by its headline.

Google's links are opaque tokens (see ``crawler.discovery.google_news``), so for each publisher
that Google names we read what the site itself lists and look for the headline there, in
stages, each only when the previous one left headlines unfound:

1. the home page (its ``<link rel="alternate">`` feeds) and ``robots.txt`` (its sitemaps);
2. the feed and sitemap every CMS has when none was announced: ``/feed/``, ``/rss``,
   ``/sitemap.xml`` (sitemap indexes are followed, news sitemaps first);
3. the site's search for the topic: WordPress ``/?s=`` and ``/wp-json/wp/v2/posts?search=``.

Headlines are compared folded (case, accents, punctuation and spacing do not count, so
"Rete | Torino" equals "Rete, Torino"), a Google headline cut with an ellipsis matches its
start, and a sitemap entry without a title matches when its slug's words are the headline's.
One publisher costs at most ``MAX_REQUESTS`` requests however many of its headlines Google
gives.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from crawler.discovery.results import Unresolved
from crawler.spiders.links import Link
from enrichment.layout import normalised

MAX_REQUESTS = 12
"""Requests one publisher's lookup may make (home, robots.txt, feeds, sitemaps, searches)."""
MAX_FOLLOWED = 3
"""Feeds announced by the home page, or sitemaps listed by robots.txt or an index, followed."""
_MIN_PREFIX = 24
"""Shortest folded headline matched by its start (a headline Google cut with "…")."""
_MIN_SLUG_WORDS = 4
_WORD = re.compile(r"[^\W_]+")


def same_headline(a: str, b: str) -> bool:
    """Whether two renderings of a headline are the same headline."""
    first, second = normalised(_uncut(a)), normalised(_uncut(b))
    if not first or not second:
        return False
    if first == second:
        return True
    short, long = sorted((first, second), key=len)
    return len(short) >= _MIN_PREFIX and long.startswith(short) and _cut(a, b)


def _uncut(text: str) -> str:
    return text.strip().removesuffix("…").removesuffix("...").strip()


def _cut(a: str, b: str) -> bool:
    """Only a headline that says it was cut may match by its start."""
    return any(t.strip().endswith(("…", "...")) for t in (a, b))


def slug_matches(url: str, headline: str) -> bool:
    """Whether the last path segment of ``url`` spells the headline's words (a sitemap entry
    has a URL and a date, often no title)."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return False
    slug = re.sub(r"\.(s?html?|php)$", "", segments[-1], flags=re.IGNORECASE)
    slug_words = _words(slug)
    headline_words = _words(headline)
    if len(slug_words) < _MIN_SLUG_WORDS:
        return False
    return set(slug_words) <= set(headline_words) and 2 * len(slug_words) >= len(headline_words)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(plain)


def on_site(url: str, site: str) -> bool:
    """Whether ``url`` is on the publisher's host or one of its subdomains (``www.`` aside)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    own = (urlsplit(site).hostname or "").lower().removeprefix("www.")
    return bool(own) and (host == own or host.endswith("." + own))


@dataclass
class Lookup:
    """The search for one publisher's headlines; the spider sends what ``ask`` returns and
    reports each answer (or failure) to ``answered``."""

    site: str
    """``scheme://host`` of the publisher, from Google's ``<source url>``."""
    query: str
    """The topic's query, for the site search of the last stage."""
    pending: list[Unresolved] = field(default_factory=list)
    stage: int = 0
    outstanding: int = 0
    asked: set[str] = field(default_factory=set)
    feeds_found: bool = False
    sitemaps_found: bool = False

    @classmethod
    def of(cls, site: str, query: str) -> Lookup:
        parts = urlsplit(site)
        return cls(site=f"{parts.scheme}://{parts.netloc}", query=query)

    def add(self, result: Unresolved) -> None:
        if not any(same_headline(p.headline, result.headline) for p in self.pending):
            self.pending.append(result)

    def ask(self, path_or_url: str, kind: str) -> tuple[str, str] | None:
        """The (url, kind) to request, or None when it was asked already or the budget is
        spent; a request returned here must be reported to ``answered`` exactly once."""
        url = path_or_url if "://" in path_or_url else self.site + path_or_url
        if url in self.asked or len(self.asked) >= MAX_REQUESTS or not self.pending:
            return None
        self.asked.add(url)
        self.outstanding += 1
        return url, kind

    def start(self) -> list[tuple[str, str]]:
        return [r for r in (self.ask("/", "home"), self.ask("/robots.txt", "robots")) if r]

    def match(self, links: list[Link]) -> list[Link]:
        """The links that are pending headlines (taken off the list), as article links that
        keep Google's headline and date and the site's own teaser (for a walled page)."""
        found = []
        for link in links:
            if not on_site(link.url, self.site):
                continue
            for result in self.pending:
                if (link.title and same_headline(link.title, result.headline)) or (
                    not link.title and slug_matches(link.url, result.headline)
                ):
                    self.pending.remove(result)
                    found.append(
                        Link(
                            link.url,
                            title=result.headline,
                            date=result.date or link.date,
                            summary=link.summary,
                        )
                    )
                    break
        return found

    def answered(self) -> list[tuple[str, str]]:
        """One request is over; when none is left and headlines are still unfound, the next
        stage's requests (empty when the lookup is finished)."""
        self.outstanding -= 1
        while self.outstanding == 0 and self.pending and self.stage < 2:
            self.stage += 1
            asked = [r for r in self._stage_requests() if r]
            if asked:
                return asked
        return []

    @property
    def finished(self) -> bool:
        return self.outstanding == 0 and (not self.pending or self.stage >= 2)

    def _stage_requests(self) -> list[tuple[str, str] | None]:
        if self.stage == 1:
            feeds = (
                [] if self.feeds_found else [self.ask("/feed/", "feed"), self.ask("/rss", "feed")]
            )
            sitemaps = [] if self.sitemaps_found else [self.ask("/sitemap.xml", "sitemap")]
            return [*feeds, *sitemaps]
        query = quote_plus(self.query)
        return [
            self.ask(f"/wp-json/wp/v2/posts?search={query}", "search"),
            self.ask(f"/?s={query}", "search"),
        ]
