"""One article added by hand (contract 5): ``rassegna add URL`` and the web desk.

The crawl misses an article now and then (an outlet outside the registry, a page no feed
links); the press office then gives its address. The page is fetched as the crawl would fetch
it (``crawler.one_page``: our User-Agent, robots.txt obeyed, ``--connect-to``, the crawl's
timeout and size limit), read by the crawl's extraction and enrichment, and stored with source
``manual``: like an imported item it is part of the rassegna even when it does not name the
topic, and no later crawl overwrites it. The desk's audit log records who added it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from crawler.connect_to import ConnectTo
from crawler.errors import FetchError, UsageError
from crawler.failures import utc_now
from crawler.imports import parse_category, parse_day
from crawler.one_page import fetch, robots_allow
from enrichment.enrich import process_page
from enrichment.records import Article
from enrichment.registry import Outlet, Registry
from enrichment.vocabulary import CATEGORIES
from search.desk.decisions import Desk
from search.files.data_dir import DataDir
from search.store import Store

SOURCE = "manual"


@dataclass(frozen=True)
class AddResult:
    article: Article
    """The item as stored."""
    created: bool
    """The URL was not in the store before."""
    changed: bool
    """The stored item changed (always true when created)."""
    outlet_in_registry: bool
    """The outlet is the registry's, not one made from ``outlet``/``category``."""


def add_url(
    url: str,
    *,
    registry: Registry,
    store: Store,
    data_dir: Path,
    connect_to: Sequence[ConnectTo],
    outlet: str | None = None,
    category: str | None = None,
    audience: int | None = None,
    date: str | None = None,
    actor: str,
) -> AddResult:
    """Fetch, read and store one page as a manual uscita; what was stored.

    ``outlet`` names a registry outlet, or with ``category`` a new one, for a URL no outlet
    of the registry covers; ``category`` and ``audience`` override the outlet's, ``date``
    (ISO or ``19/10/2023``) the page's. Raises ``UsageError`` for an unusable request (no
    outlet, a bad category or date, a page robots.txt forbids, no article on the page) and
    ``FetchError`` for a network failure, before anything is stored.
    """
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{url}: not an http(s) URL")
    day = _day(date)
    chosen, known = _outlet(url, registry, outlet, category, audience)
    if not robots_allow(url, connect_to):
        raise UsageError(f"{url}: robots.txt forbids fetching it; not added")
    page = fetch(url, connect_to)
    article = process_page(page.body, page.url, page.charset, chosen, registry.topic, hint_date=day)
    if article is None:
        raise FetchError(url, "no article found on the page (no title or too little text)")
    article = replace(article, source=SOURCE)
    if day is not None:
        article = replace(article, date=day, date_raw=date)
    outcome = store.upsert(article, now=utc_now())
    Desk(DataDir(data_dir).desk).log_add(article.url, actor=actor)
    stored = store.get(article.url)
    return AddResult(
        article=stored.article if stored is not None else article,
        created=outcome.created,
        changed=outcome.changed,
        outlet_in_registry=known,
    )


def _day(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _outlet(
    url: str,
    registry: Registry,
    name: str | None,
    category: str | None,
    audience: int | None,
) -> tuple[Outlet, bool]:
    """The page's outlet and whether it is the registry's: the one covering the URL, else
    the one named, else one made from the name and the category (both needed then)."""
    try:
        key = parse_category(category) if category else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    found = registry.outlet_for_url(url)
    if found is None and name:
        try:
            found = registry.outlet(name)
        except KeyError:
            found = None
    if found is None:
        if not name or key is None:
            raise UsageError(
                f"{url}: no outlet of the registry covers this address; give its outlet and "
                f"category (--outlet NAME --category {'|'.join(CATEGORIES)})"
            )
        return Outlet(name=name, category=key, audience=audience, language="it"), False
    return (
        replace(
            found,
            category=key or found.category,
            audience=audience if audience is not None else found.audience,
        ),
        True,
    )
