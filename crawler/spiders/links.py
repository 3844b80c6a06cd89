"""Discovered links, and the test of whether a link on a listing page is an article.

Listing and search-result pages link to everything: sections, tags, authors, pagination,
images, other sites. Feeds and sitemaps list articles only, so the test applies to links
taken from HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_NOT_ARTICLE_FIRST = {
    "tag",
    "tags",
    "category",
    "categoria",
    "categorie",
    "category-name",
    "author",
    "autore",
    "autori",
    "page",
    "pagina",
    "feed",
    "rss",
    "wp-content",
    "wp-admin",
    "wp-json",
    "wp-login.php",
    "search",
    "cerca",
    "ricerca",
    "login",
    "account",
    "abbonati",
    "abbonamenti",
    "newsletter",
    "privacy",
    "privacy-policy",
    "cookie",
    "cookie-policy",
    "contatti",
    "chi-siamo",
    "redazione",
    "pubblicita",
    "archivio",
    "topic",
    "topics",
}
_BINARY = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|m4a|avi|mov|docx?|xlsx?|pptx?|css|js|xml|json|ico)$",
    re.IGNORECASE,
)
_PAGINATION = re.compile(r"/(page|pagina)/\d+/?$", re.IGNORECASE)
_ID = re.compile(r"\d{4,}")


@dataclass(frozen=True)
class Link:
    url: str
    title: str | None = None
    """Headline as the entry point states it (feed title, news:title)."""
    date: str | None = None
    """Publication date as the entry point states it (ISO, date part)."""
    summary: str | None = None
    """The teaser the entry point gives (feed description, discovery snippet), as plain text:
    what an item keeps when the page itself is a wall."""


def looks_like_article(url: str) -> bool:
    """Whether an HTML link probably leads to a single article rather than a list."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    path = parts.path
    if _BINARY.search(path) or _PAGINATION.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return bool(re.search(r"(^|&)p=\d+", parts.query))
    if segments[0].lower() in _NOT_ARTICLE_FIRST:
        return False
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1], flags=re.IGNORECASE)
    words = [w for w in re.split(r"[-_]+", last) if w]
    return len(words) >= 3 or bool(_ID.search(last))
