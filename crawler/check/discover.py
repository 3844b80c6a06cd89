"""What a site offers beyond the registry: feeds announced in its home page, sitemaps in
robots.txt and at the usual paths, WordPress's feed and REST search, the host's other form
(``www.`` or apex) when the registry's does not answer, and the CMS.

Announced feeds are read by ``trafilatura.feeds.determine_feed`` and robots.txt sitemaps by
``trafilatura.sitemaps.extract_robots_sitemaps`` (their parsers only: every page is fetched by
our ``PoliteFetcher``, through ``--connect-to``). Each candidate is then tried like a registry
entry point (``probe``); only those that work become suggestions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from lxml import html as lxml_html
from lxml.etree import ParserError
from trafilatura.feeds import FeedParameters, determine_feed
from trafilatura.sitemaps import extract_robots_sitemaps

from crawler.check.fetcher import PoliteFetcher, reason_of
from crawler.check.probe import probe
from crawler.check.results import EntryCheck, Suggestion
from crawler.errors import FetchError
from crawler.one_page import FetchedBody
from enrichment.registry import Outlet

USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml", "/news-sitemap.xml")
MAX_CANDIDATES = 5
"""Announced feeds, or robots.txt sitemaps, tried per site: some home pages list dozens."""
WP_SEARCH = "/wp-json/wp/v2/posts?search={query}"


@dataclass(frozen=True)
class Discovery:
    suggestions: tuple[Suggestion, ...]
    cms: str | None
    notes: tuple[str, ...]


def discover(
    outlet: Outlet, checks: Sequence[EntryCheck], fetcher: PoliteFetcher, query: str
) -> Discovery:
    """Suggestions for ``outlet`` whose entry points answered ``checks``: working entry points
    that are not in the registry, in the order a fix prefers them (the same path on the host
    that answers, then announced feeds, robots.txt sitemaps, usual paths, WordPress's)."""
    known = {c.url for c in checks} | {c.entry for c in checks}
    found: dict[str, Suggestion] = {}
    notes: list[str] = []
    cms: str | None = None
    for site in _sites(outlet, checks):
        live = _live_site(site, fetcher, notes)
        if live is None:
            continue
        base, home = live
        candidates: list[Suggestion] = []
        if base != site:
            candidates += _moved(checks, site, base, fetcher, query)
        generator = _generator(home)
        wordpress, site_cms = _wordpress(base, generator, fetcher)
        cms = cms or site_cms
        candidates += _offers(base, home, fetcher, query, wordpress=wordpress)
        for suggestion in candidates:
            if suggestion.url not in known and suggestion.url not in found:
                found[suggestion.url] = suggestion
    return Discovery(tuple(found.values()), cms, tuple(dict.fromkeys(notes)))


def _sites(outlet: Outlet, checks: Sequence[EntryCheck]) -> list[str]:
    """``scheme://host`` of every entry point, then of the outlet's ``urls`` not yet seen."""
    sites = [_site_of(c.url) for c in checks]
    schemes = {urlsplit(s).hostname: urlsplit(s).scheme for s in sites}
    for entry in outlet.urls:
        host = entry.partition("/")[0].lower()
        if host not in schemes and _other_form(host) not in schemes:
            sites.append(f"https://{host}")
    return list(dict.fromkeys(sites))


def _site_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), "", "", ""))


def _other_form(host: str) -> str:
    return host[4:] if host.startswith("www.") else f"www.{host}"


def _live_site(
    site: str, fetcher: PoliteFetcher, notes: list[str]
) -> tuple[str, FetchedBody] | None:
    """The site that really answers for ``site`` (itself, where its home page redirects, or
    its other host form) with its home page; None when neither form answers."""
    host = urlsplit(site).netloc
    home, why = _home(site, fetcher)
    if home is not None:
        final = _site_of(home.url)
        if final != site:
            notes.append(f"{host} reindirizza a {urlsplit(final).netloc}")
        return final, home
    other = urlunsplit((urlsplit(site).scheme, _other_form(host), "", "", ""))
    other_home, _ = _home(other, fetcher)
    if other_home is None:
        notes.append(f"{host} non risponde ({why}), e nemmeno {_other_form(host)}")
        return None
    final = _site_of(other_home.url)
    notes.append(f"{host} non risponde ({why}); il sito risponde su {urlsplit(final).netloc}")
    return final, other_home


def _home(site: str, fetcher: PoliteFetcher) -> tuple[FetchedBody | None, str]:
    try:
        home = fetcher.get(site + "/")
    except FetchError as exc:
        return None, reason_of(exc)
    if home.status >= 400:
        return None, f"HTTP {home.status}"
    return home, ""


def _moved(
    checks: Sequence[EntryCheck], site: str, base: str, fetcher: PoliteFetcher, query: str
) -> Iterator[Suggestion]:
    """The broken entry points of ``site``, tried at the same path on ``base``."""
    for check in checks:
        if check.ok or _site_of(check.url) != site:
            continue
        entry = base + check.entry[len(site) :]
        url = entry.replace("{query}", query)
        moved = probe(check.kind, url, fetcher, entry=entry)
        if moved.ok:
            where = f"stesso indirizzo su {urlsplit(base).netloc}"
            yield _suggestion(moved, where, replaces=check.entry)


def _suggestion(check: EntryCheck, found: str, replaces: str | None = None) -> Suggestion:
    return Suggestion(check.kind, check.url, check.entry, check.articles, found, replaces)


def _generator(home: FetchedBody) -> str | None:
    """The home page's ``<meta name="generator">`` (``WordPress 6.4.2``, ``Joomla! ...``)."""
    try:
        tree = lxml_html.fromstring(home.body)
    except (ParserError, ValueError):
        return None
    for meta in tree.iter("meta"):
        if str(meta.get("name", "")).lower() == "generator" and meta.get("content"):
            return str(meta.get("content")).strip()
    return None


def _wordpress(base: str, generator: str | None, fetcher: PoliteFetcher) -> tuple[bool, str | None]:
    """Whether the site runs WordPress (its generator, or a REST root answering at
    ``/wp-json/``), and the CMS to report."""
    if generator and "wordpress" in generator.lower():
        return True, generator
    try:
        root = fetcher.get(base + "/wp-json/")
        answer = json.loads(root.body) if root.status == 200 else None
    except (FetchError, ValueError):
        answer = None
    if isinstance(answer, dict) and "namespaces" in answer:
        return True, generator or "WordPress"
    return False, generator


def _offers(
    base: str, home: FetchedBody, fetcher: PoliteFetcher, query: str, *, wordpress: bool
) -> Iterator[Suggestion]:
    page = home.body.decode(home.charset or "utf-8", errors="replace")
    host = urlsplit(base).hostname or ""
    announced = determine_feed(page, FeedParameters(base, host, home.url))
    for url in announced[:MAX_CANDIDATES]:
        yield from _working("feed", url, fetcher, "annunciato nella home page")
    robots = extract_robots_sitemaps(fetcher.robots_txt(base + "/"), base)
    for url in robots[:MAX_CANDIDATES]:
        yield from _working("sitemap", url, fetcher, "indicata in robots.txt")
    for path in USUAL_SITEMAPS:
        yield from _working("sitemap", base + path, fetcher, "percorso abituale")
    if wordpress:
        yield from _working("feed", base + "/feed/", fetcher, "feed di WordPress")
        template = base + WP_SEARCH
        check = probe("search", template.replace("{query}", query), fetcher, entry=template)
        if check.ok:
            yield _suggestion(check, "ricerca REST di WordPress")


def _working(kind: str, url: str, fetcher: PoliteFetcher, found: str) -> Iterator[Suggestion]:
    check = probe(kind, url, fetcher)
    if check.ok:
        yield _suggestion(check, found)
