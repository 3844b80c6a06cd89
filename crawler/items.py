"""The items of the Scrapy project: what the spider hands the pipelines, and what extraction
hands the store.

A fetched page carries its raw body and headers (for the WARC archive) and the hints its entry
point gave (date, title); extraction turns it into the ``Article`` the store keeps, or None
when the page is not an article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from enrichment.records import Article


@dataclass
class FetchedPage:
    """An article candidate, fetched, on its way to extraction."""

    url: str
    """Canonical form of the URL that was requested."""
    final_url: str
    """Canonical form of the URL that answered (after redirects)."""
    outlet: str
    body: bytes
    encoding: str | None
    """Charset declared in the HTTP ``Content-Type``, if any."""
    hint_date: str | None = None
    hint_title: str | None = None
    hint_summary: str | None = None
    """The entry point's teaser for the page (``Link.summary``)."""
    new_outlet: bool = False
    """Found by discovery on a site the registry does not list: ``outlet`` is then the site's
    host, to be replaced by the site's own name once the page is read (contract 7)."""
    seen_urls: list[str] = field(default_factory=list)
    """Every address this page was reached by (redirect chain included)."""
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    """The response headers, for the WARC archive."""


@dataclass
class ProcessedPage:
    """The pipeline's result: the article, or None when the page is not one."""

    page: FetchedPage
    article: Article | None
    error: str | None = None
    """Why extraction could not read the page at all (the page is then fetched again at the
    next crawl, up to the retry limit, never recorded as "not an article")."""
