"""What a page states about itself in its head: meta tags, links, language, JSON-LD.

All of it is read in one pass over the tree before anything is pruned, and kept as found;
choosing between sources is left to ``enrichment.extract``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from enrichment.jsonld import JsonLdArticle, read_jsonld

_META_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "date",
)
"""Meta keys that state the publication date, most specific first."""

_LANGUAGE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
_LISTING_BODY_CLASSES = frozenset(
    {"archive", "category", "tag", "search", "search-results", "blog", "home", "author"}
)
"""WordPress body classes of section, tag, search, author and home pages (a single post has
"single")."""


@dataclass(frozen=True)
class PageMetadata:
    """The page's own statements, raw."""

    canonical_url: str | None = None
    language: str | None = None
    html_title: str | None = None
    og_title: str | None = None
    twitter_title: str | None = None
    description: str | None = None
    site_name: str | None = None
    author: str | None = None
    listing: bool = False
    """The page says it lists items (JSON-LD collection, WordPress archive body class)."""
    published: list[str] = field(default_factory=list)
    """Publication dates from meta tags and microdata, most specific first, as written."""
    jsonld: JsonLdArticle = field(default_factory=JsonLdArticle)


def read_metadata(root: HtmlElement, url: str) -> PageMetadata:
    """Read the head (and microdata in the body) of a parsed page fetched from ``url``."""
    metas = _meta_values(root)
    published = [metas[key] for key in _META_DATE_KEYS if metas.get(key)]
    for element in root.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        value = element.get("datetime") or element.get("content") or element.text_content()
        if value and value.strip():
            published.append(value.strip())
    title_element = root.find(".//title")
    html_title = title_element.text_content() if title_element is not None else None
    jsonld = read_jsonld(root)
    return PageMetadata(
        canonical_url=_canonical(root, metas, url),
        language=_language(root, metas),
        html_title=_clean(html_title),
        og_title=metas.get("og:title"),
        twitter_title=metas.get("twitter:title"),
        description=(
            metas.get("og:description")
            or metas.get("description")
            or metas.get("twitter:description")
        ),
        site_name=metas.get("og:site_name") or metas.get("application-name"),
        author=metas.get("author") or metas.get("article:author_name"),
        listing=jsonld.collection or _listing_body(root),
        published=published,
        jsonld=jsonld,
    )


def absolute_http_url(base: str, href: str | None) -> str | None:
    """Resolve a link against the page address; ``None`` unless it is an http(s) URL."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    try:
        resolved = urljoin(base, href)
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return resolved


def _meta_values(root: HtmlElement) -> dict[str, str]:
    """Map each meta key (property, name, itemprop, http-equiv; lower-case) to its first value."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = _clean(meta.get("content"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), content)
    return values


def _listing_body(root: HtmlElement) -> bool:
    """Tell a WordPress archive, search or home page by its body classes."""
    body = root.find("body")
    if body is None:
        return False
    classes = set((body.get("class") or "").lower().split())
    return "single" not in classes and not classes.isdisjoint(_LISTING_BODY_CLASSES)


def _canonical(root: HtmlElement, metas: dict[str, str], url: str) -> str | None:
    """Return ``<link rel=canonical>``, else og:url, resolved against the page address."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            resolved = absolute_http_url(url, link.get("href"))
            if resolved:
                return resolved
    return absolute_http_url(url, metas.get("og:url"))


def _language(root: HtmlElement, metas: dict[str, str]) -> str | None:
    """Return the ISO 639-1 code of ``<html lang>`` or the content-language header meta."""
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        root.get("xml:lang"),
        metas.get("content-language"),
    ]
    for candidate in candidates:
        if not candidate:
            continue
        match = _LANGUAGE.match(candidate.split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def _clean(value: str | None) -> str | None:
    """Collapse whitespace; ``None`` for empty values."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None
