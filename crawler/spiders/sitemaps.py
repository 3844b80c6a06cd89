"""Article links from XML sitemaps, sitemap indexes and Google News sitemaps.

Parsed with lxml in recover mode because real sitemaps are often slightly broken; entities
are not resolved and the document size is bounded by the download size limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crawler.spiders.links import Link


@dataclass(frozen=True)
class SitemapLinks:
    articles: list[Link] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    """Child sitemaps of a sitemap index."""
    is_sitemap: bool = True


def links_from_sitemap(body: bytes) -> SitemapLinks:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return SitemapLinks(is_sitemap=False)
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        return SitemapLinks(sitemaps=[loc for loc in _locs(root, "sitemap") if loc])
    if kind != "urlset":
        return SitemapLinks(is_sitemap=False)
    articles = []
    for entry in root.iterfind("{*}url"):
        loc = entry.findtext("{*}loc")
        if not loc or not loc.strip():
            continue
        date = entry.findtext(".//{*}publication_date") or entry.findtext("{*}lastmod")
        title = entry.findtext(".//{*}title")
        articles.append(
            Link(
                url=loc.strip(),
                title=title.strip() if title else None,
                date=date.strip()[:10] if date else None,
            )
        )
    return SitemapLinks(articles=articles)


def _locs(root: etree._Element, tag: str) -> list[str]:
    return [(e.findtext("{*}loc") or "").strip() for e in root.iterfind("{*}" + tag)]
